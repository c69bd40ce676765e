import { on } from './api';
import { onAlertChanged } from './features/alerts/slice';
import { onJobChanged, onJobLog } from './features/jobs/slice';
import {
  onConnectivity,
  onNotice,
  onOutboxCounts,
  onProfilesChanged,
  onSessionChanged,
  onSyncProgress,
  onUnacked,
} from './features/auth/session';
import { onTicketsChangedForDetail } from './features/tickets/slice';
import { onQueuesChanged, onTicketsChanged } from './features/queues/actions';
import { navigate } from './features/shell/ui';
import { toast } from './ui/toasts';

/** Subscribes every pushed event of the contract to its slice's handler. (In the browser host the
 * bridge script itself turns `notification.shown` into a Web Notification whose click reaches the
 * core, which answers with `navigate`.) */
export function wireEvents(): () => void {
  const offs = [
    on('session.changed', onSessionChanged),
    on('profiles.changed', onProfilesChanged),
    on('connectivity.changed', onConnectivity),
    on('sync.progress', onSyncProgress),
    on('outbox.changed', onOutboxCounts),
    on('alerts.unackedCount', onUnacked),
    on('notice', onNotice),
    on('tickets.changed', (p) => {
      onTicketsChanged();
      onTicketsChangedForDetail(p);
    }),
    on('queues.changed', onQueuesChanged),
    on('alerts.changed', onAlertChanged),
    on('jobs.log', onJobLog),
    on('jobs.changed', onJobChanged),
    on('navigate', (link) =>
      link.kind === 'alert'
        ? navigate({ screen: 'alerts', id: link.id })
        : navigate({ screen: 'ticket', id: String(link.number) }),
    ),
    on('updates.status', (u) => {
      if (u.state === 'downloaded')
        toast(`Update ${u.availableVersion ?? ''} is ready. Restart from Settings to install it.`);
    }),
  ];
  return () => offs.forEach((off) => off());
}
