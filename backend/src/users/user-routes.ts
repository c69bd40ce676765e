import { USER_ROUTES } from '../../../shared/api/routes/users';
import type { Services } from '../app/services';
import { actorOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';

/** Admins manage accounts. */
export function userRoutes(s: Pick<Services, 'guard' | 'userService'>) {
  return routePlugin(USER_ROUTES, s.guard, {
    'users.list': () => s.userService.list(),
    'users.get': (req) => s.userService.get(req.params.id),
    'users.create': (req) => s.userService.create(actorOf(req), req.body),
    'users.update': (req) => s.userService.update(actorOf(req), req.params.id, req.body),
    'users.mfa.reset': (req) => s.userService.resetMfa(actorOf(req), req.params.id),
  });
}
