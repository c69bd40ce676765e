import type { Redis } from 'ioredis';
import { AlertService } from '../alerts/alert-service';
import type { AuditLog } from '../audit/audit-log';
import type { Config } from '../config/config';
import type { DatabaseHandle } from '../db/connect';
import { Escalator } from '../escalation/escalator';
import type { HealthChecks } from '../health/health-checks';
import { IncidentService } from '../incidents/incident-service';
import { HeartbeatService } from '../integrations/heartbeat-service';
import type { Clock } from '../lib/clock';
import type { ServerMetrics } from '../metrics/prometheus';
import { Notifier } from '../notifications/notifier';
import type { EventHub } from '../realtime/event-hub';
import { ReportService } from '../reports/report-service';
import { PendingConditions } from '../rules/pending-conditions';
import { RuleEvaluator } from '../rules/rule-evaluator';
import { RuleService } from '../rules/rule-service';
import { SilenceService } from '../silences/silence-service';
import type { ChangeFeed } from '../sync/change-feed';
import { CollectorRegistry, hostCollector, redisCollector, serverCollector } from './collectors';
import { MetricStore } from './metric-store';

export interface MonitoringDeps {
  config: Config;
  clock: Clock;
  database: DatabaseHandle;
  redis: Redis | null;
  metrics: ServerMetrics;
  health: HealthChecks;
  audit: AuditLog;
  changes: ChangeFeed;
  events: EventHub;
}

/**
 * The monitoring, alerting and incident domain wired together, plus its background loops:
 * collect + evaluate every METRICS_INTERVAL_SECONDS; escalation, delivery retries, heartbeats,
 * silence boundaries and incident response targets every ALERT_TICK_SECONDS; rollups and retention
 * every minute. With MONITORING_LOOPS=false nothing runs by itself and tests call the steps.
 */
export class Monitoring {
  readonly store: MetricStore;
  readonly collectors = new CollectorRegistry();
  readonly silences: SilenceService;
  readonly alerts: AlertService;
  readonly rules: RuleService;
  readonly evaluator: RuleEvaluator;
  readonly notifier: Notifier;
  readonly escalator: Escalator;
  readonly heartbeats: HeartbeatService;
  readonly incidents: IncidentService;
  readonly reports: ReportService;
  private timers: NodeJS.Timeout[] = [];
  private lastTickAt: number;
  private readonly running = new Set<string>();

  constructor(private readonly deps: MonitoringDeps) {
    const { database, clock, config, audit, changes, events } = deps;
    const db = database.db;
    this.store = new MetricStore(db, clock);
    this.silences = new SilenceService(db, clock, audit, changes, events);
    this.alerts = new AlertService(db, clock, changes, events, this.silences, audit, database.dialect);
    this.silences.onChange = async () => void (await this.alerts.reapplySilences());
    this.rules = new RuleService(db, clock, audit);
    this.evaluator = new RuleEvaluator(this.rules, new PendingConditions(db), this.store, this.alerts, clock, () => config.METRICS_INTERVAL_SECONDS * 3000);
    this.notifier = new Notifier(db, clock, config, events, audit, {
      timeoutMs: config.NOTIFY_TIMEOUT_MS,
      maxAttempts: config.NOTIFY_MAX_ATTEMPTS,
      retryBaseMs: config.NOTIFY_RETRY_BASE_SECONDS * 1000,
    });
    this.escalator = new Escalator(db, clock, this.alerts, this.notifier, audit);
    this.heartbeats = new HeartbeatService(db, clock, this.alerts);
    this.incidents = new IncidentService(db, clock, this.alerts, changes, events, audit);
    this.reports = new ReportService(db, clock, this.store);
    this.lastTickAt = clock.now();

    this.collectors.register('host', hostCollector());
    this.collectors.register('server', serverCollector(deps.metrics, database));
    if (deps.redis) this.collectors.register('redis', redisCollector(deps.redis));
    this.collectors.register('health', async () => {
      const report = await deps.health.run();
      return report.checks.flatMap((c) => [
        { name: 'health_up', labels: { check: c.name }, value: c.status === 'down' ? 0 : 1 },
        { name: 'health_latency_ms', labels: { check: c.name }, value: c.latencyMs },
      ]);
    });
    const smtp = this.notifier.smtp();
    if (smtp) deps.health.register('smtp', async () => (await smtp.verify(), { status: 'ok' }));
  }

  /** Seeds the manuals' default rules, channels; idempotent. */
  async init(): Promise<void> {
    await this.rules.ensureDefaults();
    await this.notifier.ensureDefaults();
  }

  /** Called once the server listens: adds the API check and starts the loops unless disabled. */
  async start(baseUrl: string): Promise<void> {
    await this.init();
    // Deliveries a previous process left mid-attempt are retried (counted as a failed attempt).
    await this.notifier.recoverInterrupted();
    this.deps.health.register('api', async () => {
      const res = await fetch(`${baseUrl}/api/v1/metrics/ping`, { signal: AbortSignal.timeout(2500) });
      return { status: res.ok ? 'ok' : 'down', message: res.ok ? undefined : `HTTP ${res.status}` };
    });
    if (!this.deps.config.MONITORING_LOOPS) return;
    const every = (name: string, ms: number, fn: () => Promise<unknown>) => {
      const timer = setInterval(() => void this.guarded(name, fn), ms);
      timer.unref();
      this.timers.push(timer);
    };
    every('collect', this.deps.config.METRICS_INTERVAL_SECONDS * 1000, () => this.collectAndEvaluate());
    every('tick', this.deps.config.ALERT_TICK_SECONDS * 1000, () => this.tick());
    every('maintain', 60_000, () => this.store.maintain());
    void this.guarded('collect', () => this.collectAndEvaluate());
  }

  private async guarded(name: string, fn: () => Promise<unknown>): Promise<void> {
    if (this.running.has(name)) return; // a slow round is never overlapped by the next
    this.running.add(name);
    try {
      await fn();
    } catch {
      /* a failed round is retried next interval; collector errors are kept per collector */
    } finally {
      this.running.delete(name);
    }
  }

  async collect(): Promise<number> {
    const samples = await this.collectors.collect();
    await this.store.write(samples);
    return samples.length;
  }

  async collectAndEvaluate(): Promise<void> {
    await this.collect();
    await this.evaluator.evaluate();
  }

  /** Escalation, delivery retries and recovery, heartbeats, silence starts/ends and incident response targets. */
  async tick(): Promise<void> {
    const now = this.deps.clock.now();
    if (await this.silences.boundaryBetween(this.lastTickAt, now)) await this.alerts.reapplySilences();
    this.lastTickAt = now;
    await this.heartbeats.check();
    await this.incidents.checkResponseTargets();
    await this.escalator.tick();
    await this.notifier.recoverInterrupted();
    await this.notifier.retryDue();
  }

  /** Waits for background notification work started by earlier calls. */
  async idle(): Promise<void> {
    await this.escalator.idle();
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await Promise.race([this.idle(), new Promise((r) => setTimeout(r, 2000).unref())]);
    this.notifier.close();
  }
}
