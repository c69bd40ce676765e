import type { Kysely } from 'kysely';
import type { Probe, ProbeKind } from '../../../shared/api/probes';
import type { Severity } from '../../../shared/api/alerts';
import type { AlertService } from '../alerts/alert-service';
import { fingerprintOf } from '../alerts/labels';
import type { MetricStore, Sample } from '../monitoring/metric-store';
import type { Database } from '../platform/db/schema';
import type { Clock } from '../platform/clock';
import { runCheck, type CheckOutcome } from './checks';
import { settingsOf, toProbe, type ProbeRow, type ProbeService } from './probe-service';

const DAY = 86_400_000;
/** Results are kept this long (the metrics keep the longer history). */
const RESULT_RETENTION_MS = 7 * DAY;

export const probeFingerprint = (id: string) => fingerprintOf('probe', { probe: id });

interface AlertDecision {
  name: string;
  severity: Severity;
  summary: string;
  level: string;
}

/** What the probe's one alert should say now: down beats a certificate warning; null resolves it. */
export function decideAlert(p: Probe, outcome: CheckOutcome, now: number): AlertDecision | null {
  if (p.state === 'down') {
    return { name: `Probe down: ${p.name}`, severity: outcome.certificateError ? 'critical' : p.severity, summary: `${p.name} (${p.target}) is down: ${outcome.message ?? 'check failed'}`, level: 'down' };
  }
  if (outcome.certificateError) return { name: `TLS certificate: ${p.name}`, severity: 'critical', summary: `${p.target}: ${outcome.message ?? 'certificate error'}`, level: 'certificate-error' };
  const expires = outcome.tlsExpiresAt;
  if (expires === null || (p.kind !== 'tls' && !p.target.startsWith('https:'))) return null;
  const days = (expires - now) / DAY;
  const left = days <= 0 ? 'has expired' : `expires in ${Math.floor(days)} days (${new Date(expires).toISOString().slice(0, 10)})`;
  if (days < p.criticalDays) return { name: `TLS certificate: ${p.name}`, severity: 'critical', summary: `The certificate of ${p.target} ${left}`, level: 'critical' };
  if (days < p.warningDays) return { name: `TLS certificate: ${p.name}`, severity: 'medium', summary: `The certificate of ${p.target} ${left}`, level: 'warning' };
  return null;
}

/** The metrics of one check: `probe_success`, `probe_duration_seconds`, `probe_tls_expiry_seconds`. */
export function probeSamples(p: { name: string; kind: ProbeKind }, outcome: CheckOutcome, now: number): Sample[] {
  const labels = { probe: p.name, kind: p.kind };
  const samples: Sample[] = [
    { name: 'probe_success', labels, value: outcome.success ? 1 : 0 },
    { name: 'probe_duration_seconds', labels, value: outcome.latencyMs / 1000 },
  ];
  if (outcome.tlsExpiresAt !== null) samples.push({ name: 'probe_tls_expiry_seconds', labels, value: Math.round((outcome.tlsExpiresAt - now) / 1000) });
  return samples;
}

/**
 * Runs due probes: each round (the lifecycle's `probes` loop) starts the probes whose next run is
 * due, at most `concurrency` at once, never a probe whose previous check is still running. A check
 * updates the probe's state (down after `retries` failed checks, held for `forSeconds`), stores the
 * result and the metrics, and raises, updates or resolves the probe's one alert.
 */
export class ProbeRunner {
  private readonly inFlight = new Map<string, Promise<void>>();
  /** The alert level last raised per probe (undefined: not known since start, so it is synced). */
  private readonly alerted = new Map<string, string | null>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly probes: ProbeService,
    private readonly store: MetricStore,
    private readonly alerts: AlertService,
    private readonly concurrency: number,
    private readonly report: (what: string, err: unknown) => void,
  ) {}

  /** Starts the due probes (bounded), without waiting for them; returns how many started. */
  async dispatch(): Promise<number> {
    const free = this.concurrency - this.inFlight.size;
    if (free <= 0) return 0;
    const due = await this.db
      .selectFrom('probes')
      .selectAll()
      .where('paused', '=', 0)
      .where('next_run_at', '<=', this.clock.now())
      .orderBy('next_run_at')
      .limit(free + this.inFlight.size)
      .execute();
    let started = 0;
    for (const row of due) {
      if (this.inFlight.has(row.id) || this.inFlight.size >= this.concurrency) continue;
      const run = this.execute(row)
        .catch((err: unknown) => this.report(`probe:${row.name}`, err))
        .finally(() => this.inFlight.delete(row.id));
      this.inFlight.set(row.id, run);
      started++;
    }
    return started;
  }

  /** Starts the due probes and waits for them (tests and the round's drain). */
  async runDue(): Promise<number> {
    const started = await this.dispatch();
    await this.idle();
    return started;
  }

  /** Checks one probe now, whatever its schedule; waits for a check already running instead. */
  async runNow(id: string): Promise<Probe> {
    const running = this.inFlight.get(id);
    if (running) await running;
    else await this.execute(await this.probes.row(id));
    return this.probes.get(id);
  }

  async idle(): Promise<void> {
    await Promise.all(this.inFlight.values());
  }

  private async execute(row: ProbeRow): Promise<void> {
    let outcome: CheckOutcome;
    try {
      const secret = this.probes.openSecret(row);
      outcome = await runCheck({ kind: row.kind as ProbeKind, target: row.target, timeoutMs: Number(row.timeout_ms), settings: settingsOf(row), secret });
    } catch (err) {
      outcome = { success: false, latencyMs: 0, message: (err as Error).message, tlsExpiresAt: null, certificateError: false };
    }
    const now = this.clock.now();
    const failures = outcome.success ? 0 : Number(row.failures) + 1;
    const failingSince = outcome.success || failures <= Number(row.retries) ? null : (row.failing_since ?? now);
    const down = failingSince !== null && now - failingSince >= Number(row.for_seconds) * 1000;
    const state = outcome.success ? 'up' : down ? 'down' : row.state === 'down' ? 'down' : row.state;
    const patch = {
      state,
      failures,
      failing_since: failingSince,
      last_checked_at: now,
      last_latency_ms: outcome.latencyMs,
      last_error: outcome.success ? null : outcome.message,
      tls_expires_at: outcome.tlsExpiresAt,
      next_run_at: now + Number(row.interval_seconds) * 1000,
    };
    const res = await this.db.updateTable('probes').set(patch).where('id', '=', row.id).executeTakeFirst();
    // Deleted while it ran: nothing to record.
    if (Number(res.numUpdatedRows) === 0) return;
    await this.db
      .insertInto('probe_results')
      .values({ probe_id: row.id, at: now, success: outcome.success ? 1 : 0, latency_ms: outcome.latencyMs, message: outcome.message, tls_expires_at: outcome.tlsExpiresAt })
      .execute();
    await this.db.deleteFrom('probe_results').where('probe_id', '=', row.id).where('at', '<', now - RESULT_RETENTION_MS).execute();
    await this.store.write(probeSamples({ name: row.name, kind: row.kind as ProbeKind }, outcome, now), now);
    await this.syncAlert(toProbe({ ...row, ...patch }), outcome, now);
  }

  private async syncAlert(p: Probe, outcome: CheckOutcome, now: number): Promise<void> {
    const decision = decideAlert(p, outcome, now);
    const key = decision ? `${decision.level}:${decision.severity}` : null;
    if (this.alerted.has(p.id) && this.alerted.get(p.id) === key) return;
    const fingerprint = probeFingerprint(p.id);
    if (decision) {
      await this.alerts.raise([
        {
          source: 'probe',
          scope: 'probe',
          fingerprint,
          name: decision.name,
          severity: decision.severity,
          summary: decision.summary,
          labels: { probe: p.name, kind: p.kind },
          annotations: { level: decision.level, target: p.target },
          value: outcome.tlsExpiresAt !== null && decision.level !== 'down' ? Math.floor((outcome.tlsExpiresAt - now) / DAY) : outcome.success ? 1 : 0,
        },
      ]);
    } else {
      await this.alerts.resolveFingerprints([fingerprint], outcome.success ? 'probe is up' : 'probe recovered');
    }
    this.alerted.set(p.id, key);
  }

  /** A deleted probe's alert resolves. */
  async removed(p: Probe): Promise<void> {
    this.alerted.delete(p.id);
    await this.alerts.resolveFingerprints([probeFingerprint(p.id)], 'probe deleted');
  }
}
