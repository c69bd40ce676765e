import { QUEUE_ROUTES } from '../../../shared/api/routes/queues';
import type { Services } from '../app/services';
import { actorOf, principalOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';

/** Queues: agents list theirs, admins manage queues and members. */
export function queueRoutes(s: Pick<Services, 'guard' | 'queues'>) {
  return routePlugin(QUEUE_ROUTES, s.guard, {
    'queues.list': (req) => s.queues.list(principalOf(req)),
    'queues.get': (req) => s.queues.get(principalOf(req), req.params.id),
    'queues.create': (req) => s.queues.create(actorOf(req), req.body),
    'queues.update': (req) => s.queues.update(actorOf(req), req.params.id, req.body),
    'queues.members.add': (req) => s.queues.addMember(actorOf(req), req.params.id, req.body.userId),
    'queues.members.remove': (req) => s.queues.removeMember(actorOf(req), req.params.id, req.params.userId),
  });
}
