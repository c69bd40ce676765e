import { CHANNELS_ROUTES } from '../../../shared/api/routes/channels';
import type { Services } from '../app/services';
import { actorOf, principalOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';

export function channelRoutes(s: Pick<Services, 'guard' | 'notifier' | 'users'>) {
  return routePlugin(CHANNELS_ROUTES, s.guard, {
    'channels.list': () => s.notifier.channels(),
    'channels.update': (req) => s.notifier.updateChannel(actorOf(req), req.params.id, req.body),
    'channels.test': async (req) => {
      const user = await s.users.byId(principalOf(req).userId);
      return s.notifier.sendTest(user ? [{ id: user.id, email: user.email, name: user.name }] : []);
    },
    'channels.preferences.get': (req) => s.notifier.preferences(principalOf(req).userId),
    'channels.preferences.update': (req) => s.notifier.setPreferences(principalOf(req).userId, req.body.preferences),
    'channels.deliveries.list': (req) => s.notifier.deliveries({ limit: req.query.limit }),
  });
}
