import type { FastifyRequest } from 'fastify';
import { ONCALL_ROUTES } from '../../../shared/api/routes/oncall';
import type { Services } from '../app/services';
import { actorOf, principalOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';
import type { FeedOwner } from './feed-service';

const owner = (req: FastifyRequest): FeedOwner => ({ ...actorOf(req), role: principalOf(req).role });

/** Schedules, rotations, overrides, who is on call, iCal feeds and import. */
export function oncallRoutes(s: Pick<Services, 'guard' | 'schedules' | 'feeds'>) {
  return routePlugin(ONCALL_ROUTES, s.guard, {
    'oncall.now': () => s.schedules.nowAll(),
    'oncall.schedules.list': () => s.schedules.list(),
    'oncall.schedules.create': (req) => s.schedules.create(actorOf(req), req.body),
    'oncall.schedules.get': (req) => s.schedules.get(req.params.id),
    'oncall.schedules.update': (req) => s.schedules.update(actorOf(req), req.params.id, req.body),
    'oncall.schedules.delete': (req) => s.schedules.remove(actorOf(req), req.params.id),
    'oncall.schedules.now': (req) => s.schedules.now(req.params.id),
    'oncall.schedules.shifts': (req) => s.schedules.shifts(req.params.id, req.query.from, req.query.to),
    'oncall.schedules.import': (req) => s.schedules.importIcs(actorOf(req), req.params.id, req.body),
    'oncall.rotations.create': (req) => s.schedules.addRotation(actorOf(req), req.params.id, req.body),
    'oncall.rotations.update': (req) => s.schedules.updateRotation(actorOf(req), req.params.id, req.body),
    'oncall.rotations.delete': (req) => s.schedules.removeRotation(actorOf(req), req.params.id),
    'oncall.overrides.create': (req) => s.schedules.addOverride(actorOf(req), req.params.id, req.body),
    'oncall.overrides.update': (req) => s.schedules.updateOverride(actorOf(req), req.params.id, req.body),
    'oncall.overrides.delete': (req) => s.schedules.removeOverride(actorOf(req), req.params.id),
    'oncall.feeds.list': (req) => s.feeds.list(owner(req)),
    'oncall.feeds.create': (req) => s.feeds.create(owner(req), req.body, `${req.protocol}://${req.host}`),
    'oncall.feeds.revoke': (req) => s.feeds.revoke(owner(req), req.params.id),
    'oncall.feeds.ics': async (req, reply) => {
      const text = await s.feeds.render(req.params.token.replace(/\.ics$/, ''));
      return reply.header('content-type', 'text/calendar; charset=utf-8').header('cache-control', 'private, max-age=300').send(text);
    },
  });
}
