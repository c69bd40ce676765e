import { CHANNELS_ROUTES } from '../../../shared/api/routes/channels';
import type { Services } from '../app/services';
import { actorOf, principalOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';

export function channelRoutes(s: Pick<Services, 'guard' | 'notifier' | 'notificationPrefs' | 'users'>) {
  return routePlugin(CHANNELS_ROUTES, s.guard, {
    'channels.list': () => s.notifier.channels(),
    'channels.update': (req) => s.notifier.updateChannel(actorOf(req), req.params.id, req.body),
    'channels.test': async (req) => {
      const user = await s.users.byId(principalOf(req).userId);
      return s.notifier.sendTest(user ? [{ id: user.id, email: user.email, name: user.name }] : []);
    },
    'channels.preferences.get': (req) => s.notificationPrefs.preferences(principalOf(req).userId),
    'channels.preferences.update': (req) => s.notificationPrefs.setPreferences(principalOf(req).userId, req.body.preferences),
    'channels.quiet.get': (req) => s.notificationPrefs.quietHours(principalOf(req).userId),
    'channels.quiet.update': (req) => s.notificationPrefs.setQuietHours(principalOf(req).userId, req.body),
    'channels.deliveries.list': (req) => s.notifier.deliveries({ limit: req.query.limit }),
  });
}
