import { API_TOKEN_ROUTES } from '../../../shared/api/routes/api-tokens';
import type { Services } from '../app/services';
import { actorOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';

export function apiTokenRoutes(s: Pick<Services, 'guard' | 'apiTokens'>) {
  return routePlugin(API_TOKEN_ROUTES, s.guard, {
    'apiTokens.list': () => s.apiTokens.list(),
    'apiTokens.create': (req) => s.apiTokens.create(actorOf(req), req.body),
    'apiTokens.revoke': async (req) => {
      await s.apiTokens.revoke(actorOf(req), req.params.id);
    },
  });
}
