import { CHANNELS_ROUTES } from '../../../shared/api/routes/channels';
import type { Services } from '../app/services';
import { actorOf, principalOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';
import { smtpStatus } from './smtp-status';

export function channelRoutes(s: Pick<Services, 'guard' | 'notifier' | 'notificationPrefs' | 'users' | 'contactMethods' | 'config'>) {
  const caller = async (userId: string) => {
    const user = await s.users.byId(userId);
    return user ? [{ id: user.id, email: user.email, name: user.name }] : [];
  };
  return routePlugin(CHANNELS_ROUTES, s.guard, {
    'channels.list': () => s.notifier.channels(),
    'channels.update': (req) => s.notifier.updateChannel(actorOf(req), req.params.id, req.body),
    'channels.test': async (req) => s.notifier.sendTest(await caller(principalOf(req).userId)),
    'channels.testOne': async (req) => s.notifier.sendTest(await caller(principalOf(req).userId), { desktop: true, channelId: req.params.id }),
    'channels.smtp': () => smtpStatus(s.config.SMTP_URL, s.config.SMTP_FROM, s.notifier.smtp()),
    'channels.preferences.get': (req) => s.notificationPrefs.preferences(principalOf(req).userId),
    'channels.preferences.update': (req) => s.notificationPrefs.setPreferences(principalOf(req).userId, req.body.preferences),
    'channels.quiet.get': (req) => s.notificationPrefs.quietHours(principalOf(req).userId),
    'channels.quiet.update': (req) => s.notificationPrefs.setQuietHours(principalOf(req).userId, req.body),
    'channels.deliveries.list': (req) => s.notifier.deliveries({ limit: req.query.limit }),
    'contacts.list': (req) => s.contactMethods.list(principalOf(req).userId),
    'contacts.create': (req) => s.contactMethods.add(actorOf(req), principalOf(req).userId, req.body),
    'contacts.verify': (req) => s.contactMethods.verify(actorOf(req), principalOf(req).userId, req.params.id, req.body.code),
    'contacts.resend': (req) => s.contactMethods.resend(principalOf(req).userId, req.params.id),
    'contacts.delete': async (req) => void (await s.contactMethods.remove(actorOf(req), principalOf(req).userId, req.params.id)),
    'contacts.ofUser': (req) => s.contactMethods.list(req.params.id),
  });
}
