import type { Kysely } from 'kysely';
import type { ScrapeTarget } from '../../../shared/api/scrape';
import { canonicalLabels, type LabelSet } from '../alerts/labels';
import type { AlertService } from '../alerts/alert-service';
import type { MetricStore, Sample } from '../monitoring/metric-store';
import type { Database } from '../platform/db/schema';
import type { Clock } from '../platform/clock';
import { formatOf, parseExposition, type ParsedSample } from './exposition';
import { recordings, type RateMemory } from './recordings';
import { toTarget, type ScrapeService, type TargetRow } from './scrape-service';

/** What Prometheus asks for: OpenMetrics first, the text format as the fallback. */
export const SCRAPE_ACCEPT = 'application/openmetrics-text;version=1.0.0;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface ScrapeOutcome {
  up: boolean;
  durationMs: number;
  samples: ParsedSample[];
  error: string | null;
}

/** One HTTP scrape: fetch with the timeout, parse by Content-Type, enforce the sample limit. */
export async function scrapeOnce(url: string, timeoutMs: number, sampleLimit: number): Promise<ScrapeOutcome> {
  const started = performance.now();
  const done = (samples: ParsedSample[], error: string | null): ScrapeOutcome => ({ up: error === null, durationMs: performance.now() - started, samples, error });
  try {
    const res = await fetch(url, { headers: { accept: SCRAPE_ACCEPT, 'x-prometheus-scrape-timeout-seconds': String(timeoutMs / 1000) }, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
    if (!res.ok) {
      await res.body?.cancel();
      return done([], `HTTP ${res.status} ${res.statusText}`.trim());
    }
    if (Number(res.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) return done([], `body larger than ${MAX_BODY_BYTES} bytes`);
    const parsed = parseExposition(await res.text(), formatOf(res.headers.get('content-type') ?? undefined));
    if (parsed.samples.length > sampleLimit) return done([], `${parsed.samples.length} samples exceed the sample limit of ${sampleLimit}`);
    return done(parsed.samples, null);
  } catch (err) {
    const e = err as Error & { cause?: Error };
    const reason = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : e.cause?.message ? `${e.message}: ${e.cause.message}` : e.message;
    return done([], reason);
  }
}

/** job, instance and the target's labels on an exposed series; exposed job/instance become exported_*. */
function targetLabels(t: ScrapeTarget, exposed: LabelSet): LabelSet {
  const out: LabelSet = {};
  for (const [k, v] of Object.entries(exposed)) out[k === 'job' || k === 'instance' ? `exported_${k}` : k] = v;
  return { ...out, ...t.labels, job: t.job, instance: t.instance };
}

interface TargetMemory {
  rates: RateMemory;
  /** The series keys of the last scrape, for staleness. */
  series: Set<string>;
}

/**
 * Scrapes due targets (the lifecycle's `scrape` loop): at most `concurrency` at once, never a target
 * twice. Each scrape writes `up`, `scrape_duration_seconds`, `scrape_samples_scraped` and the
 * recordings as points; the other series are kept as latest values (rules and previews read them)
 * and stored as points only when a rule uses them. A series missing from the next scrape, or every
 * series of a failed, paused or deleted target, goes stale at once.
 */
export class ScrapeRunner {
  private readonly running = new Map<string, Promise<void>>();
  private readonly memory = new Map<string, TargetMemory>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly targets: ScrapeService,
    private readonly store: MetricStore,
    private readonly alerts: AlertService,
    /** Metric names the rules read: stored as points too. */
    private readonly ruleMetrics: () => Promise<Set<string>>,
    private readonly concurrency: number,
    private readonly report: (what: string, err: unknown) => void,
  ) {}

  async dispatch(): Promise<number> {
    const slots = this.concurrency - this.running.size;
    if (slots <= 0) return 0;
    const rows = await this.db.selectFrom('scrape_targets').selectAll().where('paused', '=', 0).where('next_run_at', '<=', this.clock.now()).orderBy('next_run_at').limit(slots + this.running.size).execute();
    const fresh = rows.filter((r) => !this.running.has(r.id)).slice(0, slots);
    for (const row of fresh) {
      this.running.set(
        row.id,
        this.execute(row)
          .catch((err: unknown) => this.report(`scrape:${row.job}/${row.instance}`, err))
          .finally(() => this.running.delete(row.id)),
      );
    }
    return fresh.length;
  }

  async runDue(): Promise<number> {
    const n = await this.dispatch();
    await this.idle();
    return n;
  }

  async runNow(id: string): Promise<ScrapeTarget> {
    await (this.running.get(id) ?? this.execute(await this.targets.row(id)));
    return this.targets.get(id);
  }

  async idle(): Promise<void> {
    await Promise.all([...this.running.values()]);
  }

  private async execute(row: TargetRow): Promise<void> {
    const target = toTarget(row);
    const outcome = await scrapeOnce(target.url, Number(row.timeout_ms), target.sampleLimit);
    const now = this.clock.now();
    const res = await this.db
      .updateTable('scrape_targets')
      .set({ state: outcome.up ? 'up' : 'down', last_scrape_at: now, last_duration_ms: outcome.durationMs, last_samples: outcome.samples.length, last_error: outcome.error, next_run_at: now + target.intervalSeconds * 1000 })
      .where('id', '=', row.id)
      .where('paused', '=', 0)
      .executeTakeFirst();
    // Deleted or paused while it ran: its series stay gone.
    if (Number(res.numUpdatedRows) === 0) return;
    const base = targetLabels(target, {});
    const health: Sample[] = [
      { name: 'up', labels: base, value: outcome.up ? 1 : 0 },
      { name: 'scrape_duration_seconds', labels: base, value: outcome.durationMs / 1000 },
      { name: 'scrape_samples_scraped', labels: base, value: outcome.samples.length },
    ];
    const mem = this.memoryOf(target);
    const exposed: Sample[] = outcome.samples.map((s) => ({ name: s.name, labels: targetLabels(target, s.labels), value: s.value }));
    const recorded = recordings(outcome.samples, mem.rates, now).map((s) => ({ ...s, labels: { ...base, ...s.labels } }));
    const stored = await this.ruleMetrics();
    const points = [...health, ...recorded, ...exposed.filter((s) => stored.has(s.name))];
    await this.store.write(points, now);
    this.store.observe(exposed, now);
    this.markStale(mem, [...exposed, ...recorded]);
  }

  private memoryOf(t: ScrapeTarget): TargetMemory {
    const key = `${t.job} ${t.instance}`;
    let mem = this.memory.get(key);
    if (!mem) this.memory.set(key, (mem = { rates: new Map(), series: new Set() }));
    return mem;
  }

  /** The series of the previous scrape that this one no longer has go stale. */
  private markStale(mem: TargetMemory, current: Sample[]): void {
    const keys = new Set(current.map((s) => `${s.name}${canonicalLabels(s.labels ?? {})}`));
    const gone = [...mem.series].filter((k) => !keys.has(k));
    mem.series = keys;
    if (gone.length) {
      const stale = new Set(gone);
      this.store.forget((name, labels) => stale.has(`${name}${canonicalLabels(labels)}`));
    }
  }

  /**
   * A deleted, paused or re-identified target: every series of it goes stale, `up` included, and the
   * rule alerts on its series resolve (with no series left they would otherwise stay open).
   */
  async retired(t: ScrapeTarget): Promise<void> {
    this.memory.delete(`${t.job} ${t.instance}`);
    this.store.forget((_, labels) => labels.job === t.job && labels.instance === t.instance);
    const open = (await this.alerts.openByRule()).filter((a) => a.labels.job === t.job && a.labels.instance === t.instance);
    await this.alerts.resolveFingerprints(open.map((a) => a.fingerprint), 'scrape target removed');
  }
}
