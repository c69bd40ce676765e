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
/** The same alert does not pop up again within this time unless its severity rises. */
export const REPEAT_QUIET_MS = 10 * 60_000;

export type Suppression = 'severity' | 'dnd' | 'not_firing' | 'silenced' | 'repeat';
export type Offer = { action: 'shown'; notification: ShownNotification } | { action: 'grouped' } | { action: 'suppressed'; reason: Suppression };

export interface PolicyDeps {
  clock: Clock;
  prefs(): NotificationPrefs;
  /** Minutes since local midnight for a timestamp (injected so DND is testable in any zone). */
  localMinutes?(epochMs: number): number;
  /** True when an active silence matches the alert (the server also marks such alerts 'silenced'). */
  isSilenced?(alert: Alert): boolean;
  /** Timer for the summary popup; tests pass a manual one. */
  schedule?(fn: () => void, ms: number): void;
  show(n: ShownNotification): void;
  newId?(): string;
}

const RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/**
 * Decides which alerts pop up: severities from the user's preferences (default high and
 * critical), do-not-disturb hours (critical may pass), never for silenced or acknowledged alerts,
 * and more than three within ten seconds collapse into one summary popup. Sound for critical.
 */
export class NotificationPolicy {
  private recent: number[] = [];
  private group: Alert[] = [];
  private groupTimer = false;
  private lastShown = new Map<string, { at: number; severity: Severity }>();
  private seq = 0;

  constructor(private readonly deps: PolicyDeps) {}

  offer(alert: Alert): Offer {
    const now = this.deps.clock.now();
    const prefs = this.deps.prefs();
    if (alert.status !== 'firing' || alert.acknowledgedAt) return { action: 'suppressed', reason: alert.status === 'silenced' ? 'silenced' : 'not_firing' };
    if (this.deps.isSilenced?.(alert)) return { action: 'suppressed', reason: 'silenced' };
    if (!prefs.severities.includes(alert.severity)) return { action: 'suppressed', reason: 'severity' };
    if (this.inDnd(prefs, now) && !(prefs.dnd.allowCritical && alert.severity === 'critical')) return { action: 'suppressed', reason: 'dnd' };
    const previous = this.lastShown.get(alert.id);
    if (previous && now - previous.at < REPEAT_QUIET_MS && RANK[alert.severity] <= RANK[previous.severity]) return { action: 'suppressed', reason: 'repeat' };
    this.lastShown.set(alert.id, { at: now, severity: alert.severity });

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
      title: `${alert.severity.toUpperCase()}: ${alert.title}`,
      body: alert.description || alert.source || '',
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

  private inDnd(prefs: NotificationPrefs, now: number): boolean {
    if (!prefs.dnd.enabled) return false;
    const minutes = (this.deps.localMinutes ?? defaultLocalMinutes)(now);
    const from = toMinutes(prefs.dnd.from);
    const to = toMinutes(prefs.dnd.to);
    // A window like 22:00–07:00 crosses midnight.
    return from <= to ? minutes >= from && minutes < to : minutes >= from || minutes < to;
  }

  private nextId(): string {
    return this.deps.newId?.() ?? `n${Date.now().toString(36)}${(this.seq++).toString(36)}`;
  }
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function defaultLocalMinutes(epochMs: number): number {
  const d = new Date(epochMs);
  return d.getHours() * 60 + d.getMinutes();
}
