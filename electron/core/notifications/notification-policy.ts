import type { Alert, NotificationPrefs, Severity, ShownNotification } from '../../../shared/ipc';
import type { Clock } from '../ports';

export const DEFAULT_NOTIFICATION_PREFS: NotificationPrefs = {
  severities: ['high', 'critical'],
  dnd: { enabled: false, from: '22:00', to: '07:00', allowCritical: true },
  sound: true,
};

export const GROUP_WINDOW_MS = 10_000;
/** More than this many popups within GROUP_WINDOW_MS become one summary popup. */
export const GROUP_THRESHOLD = 3;
/** Delivery ids remembered so a re-sent delivery (its confirmation was lost) never pops up twice. */
const SEEN_DELIVERIES = 500;

export type Suppression = 'not_firing' | 'silenced' | 'duplicate';
export type Offer = { action: 'shown'; notification: ShownNotification } | { action: 'grouped' } | { action: 'suppressed'; reason: Suppression };

/** What the server's `alert.notify` said: who was paged is decided there (levels, preferences, quiet hours). */
export interface Page {
  deliveryId: string | null;
  title: string;
  body: string;
}

export interface PolicyDeps {
  clock: Clock;
  prefs(): NotificationPrefs;
  /** True when an active silence matches the alert (the server also marks such alerts 'silenced'). */
  isSilenced?(alert: Alert): boolean;
  /** Timer for the summary popup; tests pass a manual one. */
  schedule?(fn: () => void, ms: number): void;
  show(n: ShownNotification): void;
  newId?(): string;
}

const RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/**
 * Turns the server's pages into popups. Whom to page, on which channel, and quiet hours are the
 * server's decision (the settings mirror them there); here: a delivery pops up once, an alert
 * acknowledged, resolved or silenced before its page arrived does not pop up, and more than three
 * within ten seconds collapse into one summary popup. Sound for critical when sound is on.
 */
export class NotificationPolicy {
  private recent: number[] = [];
  private group: Alert[] = [];
  private groupTimer = false;
  private seen: string[] = [];
  private seq = 0;

  constructor(private readonly deps: PolicyDeps) {}

  /** A page about an alert. */
  offer(alert: Alert, page?: Page): Offer {
    const now = this.deps.clock.now();
    const prefs = this.deps.prefs();
    if (page?.deliveryId && this.alreadySeen(page.deliveryId)) return { action: 'suppressed', reason: 'duplicate' };
    if (alert.status !== 'firing' || alert.acknowledgedAt) return { action: 'suppressed', reason: alert.status === 'silenced' ? 'silenced' : 'not_firing' };
    if (this.deps.isSilenced?.(alert)) return { action: 'suppressed', reason: 'silenced' };

    this.recent = this.recent.filter((t) => now - t < GROUP_WINDOW_MS);
    if (this.recent.length >= GROUP_THRESHOLD || this.groupTimer) {
      this.group.push(alert);
      if (!this.groupTimer) {
        this.groupTimer = true;
        (this.deps.schedule ?? ((fn, ms) => setTimeout(fn, ms).unref()))(() => this.flushGroup(), GROUP_WINDOW_MS);
      }
      return { action: 'grouped' };
    }
    this.recent.push(now);
    const notification: ShownNotification = {
      id: this.nextId(),
      at: now,
      title: page?.title ?? `${alert.severity.toUpperCase()}: ${alert.title}`,
      body: alert.description || alert.source || page?.body.split('\n')[0] || '',
      severity: alert.severity,
      sound: prefs.sound && alert.severity === 'critical',
      alertId: alert.id,
      alertIds: [alert.id],
    };
    this.deps.show(notification);
    return { action: 'shown', notification };
  }

  /** Emits the summary popup for alerts held back by grouping (called by the timer). */
  flushGroup(): ShownNotification | null {
    this.groupTimer = false;
    const alerts = this.group.filter((a) => a.status === 'firing');
    this.group = [];
    if (alerts.length === 0) return null;
    const now = this.deps.clock.now();
    const worst = alerts.reduce((w, a) => (RANK[a.severity] > RANK[w] ? a.severity : w), 'low' as Severity);
    const counts = Object.entries(alerts.reduce<Record<string, number>>((c, a) => ((c[a.severity] = (c[a.severity] ?? 0) + 1), c), {}))
      .sort((a, b) => RANK[b[0] as Severity] - RANK[a[0] as Severity])
      .map(([s, n]) => `${n} ${s}`)
      .join(', ');
    const notification: ShownNotification = {
      id: this.nextId(),
      at: now,
      title: `${alerts.length} more alerts`,
      body: `${counts}: ${alerts.slice(0, 3).map((a) => a.title).join('; ')}${alerts.length > 3 ? '…' : ''}`,
      severity: worst,
      sound: this.deps.prefs().sound && worst === 'critical',
      alertId: alerts.length === 1 ? alerts[0]!.id : null,
      alertIds: alerts.map((a) => a.id),
    };
    this.recent.push(now);
    this.deps.show(notification);
    return notification;
  }

  /** An alert acknowledged or resolved meanwhile leaves a pending summary. */
  forget(alertId: string): void {
    this.group = this.group.filter((a) => a.id !== alertId);
  }

  /** A page about no alert (an SLA notice about a ticket, the summary of what quiet hours held): shown as it came, once. */
  notice(page: Page & { severity: Severity; ticketNumber?: number | null }): ShownNotification | null {
    if (page.deliveryId && this.alreadySeen(page.deliveryId)) return null;
    const notification: ShownNotification = { id: this.nextId(), at: this.deps.clock.now(), title: page.title, body: page.body, severity: page.severity, sound: false, alertId: null, alertIds: [], ticketNumber: page.ticketNumber ?? null };
    this.deps.show(notification);
    return notification;
  }

  private alreadySeen(deliveryId: string): boolean {
    if (this.seen.includes(deliveryId)) return true;
    this.seen.push(deliveryId);
    if (this.seen.length > SEEN_DELIVERIES) this.seen.shift();
    return false;
  }

  private nextId(): string {
    return this.deps.newId?.() ?? `n${Date.now().toString(36)}${(this.seq++).toString(36)}`;
  }
}
