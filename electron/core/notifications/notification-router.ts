import { AlertNotification } from '../../../shared/api/alerts';
import { parseAlertAction, type Alert, type DeepLink, type NotificationPrefs, type ShownNotification } from '../../../shared/ipc';
import { parseAlert } from '../cache/records';
import type { Clock, Logger, Notifier } from '../ports';
import type { Workspace } from '../workspace';
import { NotificationPolicy } from './notification-policy';
import { popupTarget } from './popup-actions';

/** Popups kept for `notifications.history`. */
const HISTORY = 200;

export interface NotificationRouterDeps {
  clock: Clock;
  logger: Logger;
  notifier: Notifier;
  prefs(): NotificationPrefs;
  workspace(): Workspace | null;
  /** Pushes to the window: the popup shown, and where a click leads. */
  shown(n: ShownNotification): void;
  navigate(link: DeepLink): void;
  alertChanged(alert: Alert): void;
  unackedCount(count: number): void;
}

/**
 * From the server's pages to popups and back: popups come only from `alert.notify` addressed to
 * the signed-in user (the server decides who is paged; raw alert changes never pop up), go through
 * the policy, show on the platform's notifier, and route a click (open the alert) or an
 * "Acknowledge" (through the outbox, so it works offline) back into the app.
 */
export class NotificationRouter {
  /** Popups shown this run, newest first. */
  readonly history: ShownNotification[] = [];
  private readonly policy: NotificationPolicy;

  constructor(private readonly deps: NotificationRouterDeps) {
    this.policy = new NotificationPolicy({
      clock: deps.clock,
      prefs: deps.prefs,
      isSilenced: (a) => a.status === 'silenced',
      show: (n) => this.show(n),
    });
  }

  /** Alerts changed in the cache: the window follows; one we acted on leaves a pending summary. */
  alertsChanged(alerts: Alert[], fromOutbox: boolean): void {
    for (const a of alerts) {
      this.deps.alertChanged(a);
      if (fromOutbox || a.status !== 'firing') this.policy.forget(a.id);
    }
    const ws = this.deps.workspace();
    if (ws) this.deps.unackedCount(ws.cache.unackedAlertCount());
  }

  /** An `alert.notify` the live feed received (and confirmed): shown when it is for the signed-in user. */
  notified(payload: unknown, signedInUserId: string | null): 'shown' | 'ignored' {
    const parsed = AlertNotification.safeParse(payload);
    if (!parsed.success) {
      this.deps.logger.warn('alert.notify with an unexpected shape', { error: parsed.error.message });
      return 'ignored';
    }
    const n = parsed.data;
    if (!signedInUserId || n.userId !== signedInUserId) return 'ignored';
    const page = { deliveryId: n.deliveryId, title: n.title, body: n.body };
    if (!n.alert) return this.policy.notice({ ...page, severity: n.severity, ticketNumber: n.ticket?.number ?? null }) ? 'shown' : 'ignored';
    return this.policy.offer(parseAlert(n.alert), page).action === 'suppressed' ? 'ignored' : 'shown';
  }

  clicked(id: string): void {
    const n = this.history.find((x) => x.id === id);
    const link = n && popupTarget(n);
    if (link) this.deps.navigate(link);
  }

  /** "Acknowledge" on a popup goes through the outbox: works offline, syncs later. */
  acknowledge(id: string): void {
    const n = this.history.find((x) => x.id === id);
    if (n) this.acknowledgeAlerts(n.alertIds);
  }

  /**
   * A popup's activation link (a Windows toast's buttons, a deep link): `opsdesk://alerts/<id>/ack`
   * acknowledges through the outbox and opens the alert; `opsdesk://alerts/<id>` opens it.
   * Answers false for a link that is not an alert action.
   */
  activated(url: string): boolean {
    const link = parseAlertAction(url);
    if (!link) return false;
    if (link.action === 'ack') this.acknowledgeAlerts([link.alertId]);
    this.deps.navigate({ kind: 'alert', id: link.alertId });
    return true;
  }

  private acknowledgeAlerts(alertIds: string[]): void {
    const ws = this.deps.workspace();
    if (!ws) return;
    const acknowledge = (alertId: string) => {
      ws.outbox.alertAction(alertId, 'acknowledge', ws.session.user);
      this.policy.forget(alertId);
    };
    const failed = (alertId: string) => (err: unknown) => this.deps.logger.warn('acknowledge from notification failed', { alertId, error: (err as Error).message });
    for (const alertId of alertIds) {
      try {
        if (ws.cache.alert(alertId)) acknowledge(alertId);
        // Paged before the first sync brought the alert: sync, then acknowledge it.
        else void ws.sync.run().then(() => acknowledge(alertId)).then(() => ws.kick(), failed(alertId));
      } catch (err) {
        failed(alertId)(err);
      }
    }
    ws.kick();
  }

  private show(n: ShownNotification): void {
    this.history.unshift(n);
    if (this.history.length > HISTORY) this.history.pop();
    this.deps.shown(n);
    this.deps.notifier.show(n, { onClick: () => this.clicked(n.id), onAcknowledge: () => this.acknowledge(n.id) });
  }
}
