import { Cron } from 'croner';
import type { Counter } from 'prom-client';
import type { Logger } from 'pino';
import { SOLO_LEADERSHIP, type Leadership } from './leadership';

type Round = () => Promise<unknown>;

export interface LoopOptions {
  /** Run once right away, then on every interval. */
  immediate?: boolean;
  /**
   * Once per deployment, not per instance: only the leader runs it (see leadership.ts), and it
   * confirms its leadership right before each round.
   */
  once?: boolean;
}

interface Loop {
  name: string;
  /** Starts the loop; returns what stops it. */
  start(): () => void;
}

/**
 * Every piece of background work of a process, registered by name: interval loops, cron schedules
 * and start/stop hooks. `start()` starts them in registration order, `stop()` stops them in reverse
 * and waits for rounds in flight. A round of a loop never overlaps the previous one (a slow round
 * skips the next tick). Every failure is logged through pino with the loop's name and counted in
 * `opsdesk_background_failures_total{loop}`.
 */
export class Lifecycle {
  private readonly loops: Loop[] = [];
  private readonly startHooks: { name: string; fn: () => Promise<void> | void }[] = [];
  private readonly stopHooks: { name: string; fn: () => Promise<void> | void }[] = [];
  private readonly running = new Map<string, Promise<void>>();
  private stops: (() => void)[] = [];
  private started = false;

  constructor(
    private readonly logger: Logger,
    private readonly failures: Counter<'loop'>,
    private readonly leadership: Leadership = SOLO_LEADERSHIP,
  ) {
    this.onStart('leadership', () => leadership.start());
    this.onStop('leadership', () => leadership.stop());
  }

  /** Runs `round` every `ms` once started (and once right away with `immediate`). */
  every(name: string, ms: number, round: Round, options: LoopOptions = {}): void {
    const r = this.scoped(round, options);
    this.loops.push({
      name,
      start: () => {
        const timer = setInterval(() => void this.run(name, r), ms);
        timer.unref();
        if (options.immediate) void this.run(name, r);
        return () => clearInterval(timer);
      },
    });
  }

  /** Runs `round` on a cron pattern (UTC) once started. */
  cron(name: string, pattern: string, round: Round, options: Pick<LoopOptions, 'once'> = {}): void {
    const r = this.scoped(round, options);
    this.loops.push({
      name,
      start: () => {
        const job = new Cron(pattern, { timezone: 'UTC' }, () => void this.run(name, r));
        return () => job.stop();
      },
    });
  }

  /** A deployment-wide round runs only where the leadership is confirmed. */
  private scoped(round: Round, options: Pick<LoopOptions, 'once'>): Round {
    if (!options.once) return round;
    return async () => {
      if (await this.leadership.confirm()) await round();
    };
  }

  /** Work done once at start (in registration order, after the loops registered before it). */
  onStart(name: string, fn: () => Promise<void> | void): void {
    this.startHooks.push({ name, fn });
  }

  /** Work done once at stop, in reverse registration order; a failing hook does not stop the others. */
  onStop(name: string, fn: () => Promise<void> | void): void {
    this.stopHooks.push({ name, fn });
  }

  /** One guarded round: skipped while the previous round of `name` runs; failures are reported. */
  run(name: string, round: Round): Promise<void> {
    const inFlight = this.running.get(name);
    if (inFlight) return inFlight;
    const p = (async () => {
      try {
        await round();
      } catch (err) {
        this.report(name, err);
      } finally {
        this.running.delete(name);
      }
    })();
    this.running.set(name, p);
    return p;
  }

  /** Logs and counts a background failure of `loop` (also for fire-and-forget work outside loops). */
  report(loop: string, err: unknown): void {
    this.failures.inc({ loop });
    this.logger.error({ err, loop }, `background work failed: ${loop}`);
  }

  /** A `.catch` handler that reports under `loop`. */
  reporter(loop: string): (err: unknown) => void {
    return (err) => this.report(loop, err);
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const h of this.startHooks) await h.fn();
    for (const loop of this.loops) this.stops.push(loop.start());
  }

  async stop(): Promise<void> {
    for (const stop of this.stops.reverse()) stop();
    this.stops = [];
    await Promise.all(this.running.values());
    for (const h of [...this.stopHooks].reverse()) {
      try {
        await h.fn();
      } catch (err) {
        this.report(h.name, err);
      }
    }
    this.stopHooks.length = 0;
    this.started = false;
  }
}
