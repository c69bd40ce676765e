import { CANNED_ROUTES } from '../../../shared/api/routes/canned';
import type { Services } from '../app/services';
import type { FastifyRequest } from 'fastify';
import { actorOf, principalOf } from '../platform/http/guards';

const caller = (req: FastifyRequest) => ({ ...principalOf(req), actor: actorOf(req) });
import { routePlugin } from '../platform/http/route-table';

/** Canned replies: shared and personal snippets for the composer. */
export function cannedRoutes(s: Pick<Services, 'guard' | 'canned'>) {
  return routePlugin(CANNED_ROUTES, s.guard, {
    'canned.list': (req) => s.canned.list(principalOf(req), req.query.q),
    'canned.create': (req) => s.canned.create(caller(req), req.body),
    'canned.update': (req) => s.canned.update(caller(req), req.params.id, req.body),
    'canned.delete': async (req) => {
      await s.canned.remove(caller(req), req.params.id);
    },
  });
}
