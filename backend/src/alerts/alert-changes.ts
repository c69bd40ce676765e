import { ALERT_CHANGES_EVENT, ALERT_CHANGES_MIN_INTERVAL_MS, type LiveEventOf } from '../../../shared/api/events';
import type { Clock } from '../platform/clock';
import type { EventHub } from '../platform/realtime/event-hub';

/**
 * The one live announcement of alert writes (shared/api/events.ts `alert.changes`): every change
 * committed to the feed is handed in with its sequence; the highest goes out in one small event to
 * the on-call audience, at once when the last event is older than `minIntervalMs`, else when it
 * has that age. A storm of thousands of alerts is a few events a second whatever the number of
 * desktops, instead of every full alert to every desktop; each desktop catches up through the
 * change feed, which it did anyway.
 */
export class AlertChanges {
  private seq = 0;
  private count = 0;
  private lastSentAt = -Infinity;
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;

  constructor(
    private readonly events: EventHub,
    private readonly clock: Clock,
    private readonly minIntervalMs = ALERT_CHANGES_MIN_INTERVAL_MS,
  ) {}

  /** `count` alert changes committed, the last at feed sequence `seq`. */
  changed(seq: number, count = 1): void {
    if (count <= 0) return;
    this.seq = Math.max(this.seq, seq);
    this.count += count;
    if (this.timer) return;
    // Wall time, not the injected clock: this paces the sockets, it records nothing.
    const wait = this.lastSentAt + this.minIntervalMs - performance.now();
    // setImmediate: whatever else commits in this turn of the event loop goes in the same event.
    // Timers count whole milliseconds from the loop's cached time and can fire up to 1 ms early: round up, plus one.
    this.timer = wait > 0 ? setTimeout(() => this.flush(), Math.ceil(wait) + 1).unref() : setImmediate(() => this.flush());
  }

  /** Sends what is pending now (also on the timer). */
  flush(): void {
    this.timer = null;
    if (this.count === 0) return;
    const event: LiveEventOf<typeof ALERT_CHANGES_EVENT> = { type: ALERT_CHANGES_EVENT, seq: this.seq, actor: null, data: { count: this.count }, at: this.clock.now() };
    this.count = 0;
    this.lastSentAt = performance.now();
    this.events.publish(event, { kind: 'oncall' });
  }
}
