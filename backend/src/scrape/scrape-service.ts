import type { Kysely, Selectable } from 'kysely';
import type { CreateScrapeTargetRequest, ScrapeState, ScrapeTarget, UpdateScrapeTargetRequest } from '../../../shared/api/scrape';
import type { ServiceSpec } from '../../../shared/api/services';
import type { Actor, AuditLog } from '../audit/audit-log';
import { canonicalLabels, parseJson } from '../alerts/labels';
import type { Database } from '../platform/db/schema';
import { AppError, notFound } from '../platform/http/errors';
import type { Clock } from '../platform/clock';
import { uuid } from '../platform/ids';
import type { ScrapeTargetsTable } from './tables';

export type TargetRow = Selectable<ScrapeTargetsTable>;
type Definition = Required<Omit<CreateScrapeTargetRequest, 'paused'>>;

/** The `instance` label of a URL: host:port, the scheme's port when none is given. */
export function instanceOf(url: string): string {
  const u = new URL(url);
  return `${u.hostname.includes(':') ? `[${u.hostname}]` : u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
}

export function toTarget(r: TargetRow): ScrapeTarget {
  const paused = r.paused === 1;
  return {
    id: r.id,
    job: r.job,
    url: r.url,
    instance: r.instance,
    intervalSeconds: Number(r.interval_seconds),
    timeoutSeconds: Number(r.timeout_ms) / 1000,
    sampleLimit: Number(r.sample_limit),
    labels: parseJson(r.labels, {}),
    paused,
    source: r.source as ScrapeTarget['source'],
    state: paused ? 'paused' : (r.state as ScrapeState),
    lastScrapeAt: r.last_scrape_at === null ? null : Number(r.last_scrape_at),
    lastDurationSeconds: r.last_duration_ms === null ? null : Number(r.last_duration_ms) / 1000,
    lastSamples: r.last_samples === null ? null : Number(r.last_samples),
    lastError: r.last_error,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

function columns(d: Definition) {
  return {
    job: d.job,
    url: d.url,
    instance: instanceOf(d.url),
    interval_seconds: d.intervalSeconds,
    timeout_ms: Math.round(d.timeoutSeconds * 1000),
    sample_limit: d.sampleLimit,
    labels: canonicalLabels(d.labels),
  };
}

/**
 * Scrape targets: the app's (created, edited, deleted here and through the API) and the services'
 * (declared in SERVICES_FILE, synced at start; here they can only be paused).
 */
export class ScrapeService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    /** The target's series go stale (deleted, paused, or no longer declared). */
    private readonly onRetired: (t: ScrapeTarget) => Promise<void>,
  ) {}

  async list(): Promise<ScrapeTarget[]> {
    return (await this.db.selectFrom('scrape_targets').selectAll().orderBy('job').orderBy('instance').execute()).map(toTarget);
  }

  async row(id: string): Promise<TargetRow> {
    const row = await this.db.selectFrom('scrape_targets').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Scrape target');
    return row;
  }

  async get(id: string): Promise<ScrapeTarget> {
    return toTarget(await this.row(id));
  }

  async create(actor: Actor, input: Required<CreateScrapeTargetRequest>, source: 'app' | 'services' = 'app'): Promise<ScrapeTarget> {
    const now = this.clock.now();
    const row: TargetRow = {
      id: uuid(),
      ...columns(input),
      source,
      paused: input.paused ? 1 : 0,
      state: 'pending',
      next_run_at: now,
      last_scrape_at: null,
      last_duration_ms: null,
      last_samples: null,
      last_error: null,
      created_at: now,
      updated_at: now,
    };
    await this.unique(row.job, row.instance, null);
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('scrape_targets').values(row).execute();
      await this.audit.record(actor, { action: 'scrape-target.created', targetType: 'scrape-target', targetId: row.id, details: { job: row.job, url: row.url, source } }, trx);
    });
    return toTarget(row);
  }

  async update(actor: Actor, id: string, patch: UpdateScrapeTargetRequest): Promise<ScrapeTarget> {
    const row = await this.row(id);
    const current = toTarget(row);
    if (current.source === 'services' && Object.keys(patch).some((k) => k !== 'paused')) {
      throw new AppError('conflict', 'This target is declared in SERVICES_FILE; change it there (here it can only be paused)');
    }
    const merged = { ...current, ...patch };
    if (merged.timeoutSeconds > merged.intervalSeconds) throw new AppError('validation_failed', 'body.timeoutSeconds: must not be longer than the interval', [{ field: 'body.timeoutSeconds', message: 'must not be longer than the interval' }]);
    const next = { ...columns(merged), paused: merged.paused ? 1 : 0, updated_at: this.clock.now(), ...(patch.paused === true && { state: 'pending' }), next_run_at: this.clock.now() };
    await this.unique(next.job, next.instance, id);
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('scrape_targets').set(next).where('id', '=', id).execute();
      await this.audit.record(actor, { action: 'scrape-target.updated', targetType: 'scrape-target', targetId: id, details: patch as Record<string, unknown> }, trx);
    });
    // A paused target, or one whose identity changed, leaves its old series stale.
    if ((patch.paused === true && row.paused === 0) || next.job !== row.job || next.instance !== row.instance) await this.onRetired(current);
    return this.get(id);
  }

  async remove(actor: Actor, id: string, allowDeclared = false): Promise<void> {
    const target = await this.get(id);
    if (target.source === 'services' && !allowDeclared) throw new AppError('conflict', 'This target is declared in SERVICES_FILE; remove it there');
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('scrape_targets').where('id', '=', id).execute();
      await this.audit.record(actor, { action: 'scrape-target.deleted', targetType: 'scrape-target', targetId: id, details: { job: target.job, instance: target.instance } }, trx);
    });
    await this.onRetired(target);
  }

  /** Makes the services-declared targets match SERVICES_FILE: new ones added, changed ones updated, removed ones deleted. */
  async syncDeclared(specs: ServiceSpec[]): Promise<{ added: number; removed: number }> {
    const system: Actor = { id: null, email: 'system', ip: null };
    const declared = specs.flatMap((s) => (s.scrape ? [{ job: s.scrape.job ?? s.name, url: s.scrape.url, intervalSeconds: s.scrape.intervalSeconds, labels: s.scrape.labels }] : []));
    const existing = (await this.list()).filter((t) => t.source === 'services');
    const key = (job: string, url: string) => `${job} ${instanceOf(url)}`;
    const wanted = new Map(declared.map((d) => [key(d.job, d.url), d]));
    let removed = 0;
    for (const t of existing) {
      const d = wanted.get(`${t.job} ${t.instance}`);
      if (!d) {
        await this.remove(system, t.id, true);
        removed++;
        continue;
      }
      wanted.delete(`${t.job} ${t.instance}`);
      await this.db.updateTable('scrape_targets').set({ ...columns({ ...d, timeoutSeconds: Math.min(t.timeoutSeconds, d.intervalSeconds), sampleLimit: t.sampleLimit }), updated_at: this.clock.now() }).where('id', '=', t.id).execute();
    }
    for (const d of wanted.values()) await this.create(system, { ...d, timeoutSeconds: Math.min(10, d.intervalSeconds), sampleLimit: 10_000, paused: false }, 'services');
    return { added: wanted.size, removed };
  }

  private async unique(job: string, instance: string, exceptId: string | null): Promise<void> {
    const other = await this.db.selectFrom('scrape_targets').select('id').where('job', '=', job).where('instance', '=', instance).executeTakeFirst();
    if (other && other.id !== exceptId) throw new AppError('conflict', `A target of job "${job}" at ${instance} already exists`);
  }
}
