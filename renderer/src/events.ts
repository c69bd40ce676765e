import { on } from './api';
import { onAlertChanged } from './stores/alerts';
import { onJobChanged, onJobLog } from './stores/jobs';
import { onConnectivity, onNotice, onOutboxCounts, onProfilesChanged, onSessionChanged, onSyncProgress, onUnacked, useSession } from './stores/session';
import { onTicketsChangedForDetail } from './stores/ticket';
import { onQueuesChanged, onTicketsChanged } from './stores/tickets';
import { navigate, toast } from './stores/ui';
import { call } from './api';

/** Subscribes every pushed event of the contract to its slice's handler. */
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
    on('navigate', (link) => (link.kind === 'alert' ? navigate({ screen: 'alerts', id: link.id }) : navigate({ screen: 'ticket', id: String(link.number) }))),
    on('updates.status', (u) => {
      if (u.state === 'downloaded') toast(`Update ${u.availableVersion ?? ''} is ready. Restart from Settings to install it.`);
    }),
    on('notification.shown', showWebNotification),
  ];
  return () => offs.forEach((off) => off());
}

/**
 * In the browser host a popup is a Web Notification; its click goes back to the core, which
 * answers with a `navigate` event (the same path as a native notification in Electron).
 */
function showWebNotification(n: { id: string; title: string; body: string }): void {
  if (useSession.getState().transport !== 'host' || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const popup = new Notification(n.title, { body: n.body, tag: n.id });
  popup.onclick = () => {
    window.focus();
    void call('notifications.clicked', { notificationId: n.id });
    popup.close();
  };
}
