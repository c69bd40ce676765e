import { MAIL_ROUTES } from '../../../shared/api/routes/mail';
import type { Services } from '../app/services';
import { actorOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';

/** Queue mailboxes: admins configure and test them; passwords go in, never out. */
export function mailRoutes(s: Pick<Services, 'guard' | 'mailboxes' | 'config'>) {
  return routePlugin(MAIL_ROUTES, s.guard, {
    'mailboxes.list': () => s.mailboxes.list(),
    'mailboxes.get': (req) => s.mailboxes.get(req.params.id),
    'mailboxes.put': (req) => s.mailboxes.put(actorOf(req), req.params.id, req.body),
    'mailboxes.remove': async (req) => {
      await s.mailboxes.remove(actorOf(req), req.params.id);
    },
    'mailboxes.test': (req) => s.mailboxes.test(req.params.id, req.body, s.config.SMTP_URL),
  });
}
