import { VIEW_ROUTES } from '../../../shared/api/routes/views';
import type { Services } from '../app/services';
import { principalOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';

/** A user's saved ticket views, built-ins first. */
export function viewRoutes(s: Pick<Services, 'guard' | 'views'>) {
  return routePlugin(VIEW_ROUTES, s.guard, {
    'views.list': (req) => s.views.list(principalOf(req).userId),
    'views.get': (req) => s.views.get(principalOf(req).userId, req.params.id),
    'views.create': (req) => s.views.create(principalOf(req).userId, req.body),
    'views.update': (req) => s.views.update(principalOf(req).userId, req.params.id, req.body),
    'views.delete': async (req) => {
      await s.views.remove(principalOf(req).userId, req.params.id);
    },
  });
}
