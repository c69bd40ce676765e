import type { Services } from '../app/services';
import type { Lifecycle } from '../platform/lifecycle';

type Step = [name: string, run: () => Promise<unknown>];

export type MonitoringRoundsDeps = Pick<Services, 'config' | 'clock' | 'health' | 'metricStore' | 'collectors' | 'silences' | 'alerts' | 'rules' | 'evaluator' | 'notifier' | 'escalator' | 'heartbeats' | 'incidents' | 'handoffs' | 'heldRelease' | 'apiProbe'>;

/**
 * The bodies of the monitoring domain's background loops: probe the API's public URL, collect + evaluate every
 * METRICS_INTERVAL_SECONDS; escalation, delivery retries, heartbeats, silence boundaries and
 * incident response targets every ALERT_TICK_SECONDS; rollups and retention every minute.
 * `register` hands them to the process lifecycle; with MONITORING_LOOPS=false nothing runs by
 * itself and tests call the rounds.
 */
export class MonitoringRounds {
  private lastTickAt: number;

  constructor(private readonly d: MonitoringRoundsDeps) {
    this.lastTickAt = d.clock.now();
  }

  /** Seeds the manuals' default rules, channels; idempotent. */
  async init(): Promise<void> {
    await this.d.rules.ensureDefaults();
    await this.d.notifier.ensureDefaults();
  }

  /** Start-up work (defaults, interrupted deliveries) and the loops, on the given lifecycle. */
  register(lifecycle: Lifecycle): void {
    // The API's own probe answers the `api` health check from its first start on.
    lifecycle.onStart('api-probe', () => this.d.apiProbe.check());
    lifecycle.onStart('monitoring.init', async () => {
      await this.init();
      // Deliveries a previous process left mid-attempt are retried (counted as a failed attempt).
      await this.d.notifier.recoverInterrupted();
    });
    lifecycle.onStop('monitoring.drain', async () => {
      await Promise.race([this.idle(), new Promise((r) => setTimeout(r, 2000).unref())]);
      this.d.notifier.close();
    });
    if (!this.d.config.MONITORING_LOOPS) return;
    // Each step of a round fails on its own, reported under its name, without skipping the rest.
    const steps = (list: Step[]) => async () => {
      for (const [name, step] of list) await step().catch(lifecycle.reporter(name));
    };
    lifecycle.every('collect-and-evaluate', this.d.config.METRICS_INTERVAL_SECONDS * 1000, steps(this.collectSteps()), { immediate: true });
    lifecycle.every('alert-tick', this.d.config.ALERT_TICK_SECONDS * 1000, steps(this.tickSteps()), { once: true });
    lifecycle.every('metric-rollups-and-retention', 60_000, () => this.d.metricStore.maintain(), { once: true });
  }

  /** Collection (each collector's failure is reported as `collector:<name>`), then rule evaluation. */
  private collectSteps(): Step[] {
    return [
      ['api-probe', () => this.d.apiProbe.check()],
      ['collect', () => this.collect()],
      ['rule-evaluation', () => this.d.evaluator.evaluate()],
    ];
  }

  /** The alert tick, in order. */
  private tickSteps(): Step[] {
    return [
      ['silences', () => this.silenceBoundaries()],
      ['heartbeats', () => this.d.heartbeats.check()],
      ['alerts-ended', () => this.d.alerts.resolveEnded()],
      ['incident-response-targets', () => this.d.incidents.checkResponseTargets()],
      ['escalation', () => this.d.escalator.tick()],
      ['delivery-recovery', () => this.d.notifier.recoverInterrupted()],
      ['delivery-retries', () => this.d.notifier.retryDue()],
      ['oncall-handoffs', () => this.d.handoffs.tick()],
      ['quiet-hours-summaries', () => this.d.heldRelease.release()],
    ];
  }

  /** A silence that started or ended since the last tick re-evaluates open alerts. */
  private async silenceBoundaries(): Promise<void> {
    const now = this.d.clock.now();
    if (await this.d.silences.boundaryBetween(this.lastTickAt, now)) await this.d.alerts.reapplySilences();
    this.lastTickAt = now;
  }

  /**
   * The check that the API answers, once the server listens: the last result of the API probe
   * (PUBLIC_URL, else `baseUrl`), which the collection round runs before collecting.
   */
  registerApiCheck(baseUrl: string): void {
    this.d.apiProbe.listeningAt(baseUrl);
    this.d.health.register('api', this.d.apiProbe.healthCheck());
  }

  async collect(): Promise<number> {
    const samples = await this.d.collectors.collect();
    await this.d.metricStore.write(samples);
    return samples.length;
  }

  async collectAndEvaluate(): Promise<void> {
    for (const [, step] of this.collectSteps()) await step();
  }

  /** Escalation, delivery retries and recovery, heartbeats, silence starts/ends and incident response targets. */
  async tick(): Promise<void> {
    for (const [, step] of this.tickSteps()) await step();
  }

  /** Waits for background notification work started by earlier calls. */
  async idle(): Promise<void> {
    await this.d.escalator.idle();
  }
}
