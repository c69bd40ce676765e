import type { Kysely, Selectable } from 'kysely';
import { probeIssues, type CreateProbeRequest, type Probe, type ProbeResult, type ProbeState, type UpdateProbeRequest } from '../../../shared/api/probes';
import type { Severity } from '../../../shared/api/alerts';
import type { Actor, AuditLog } from '../audit/audit-log';
import { parseJson } from '../alerts/labels';
import type { Database } from '../platform/db/schema';
import { AppError, notFound } from '../platform/http/errors';
import type { Clock } from '../platform/clock';
import { uuid } from '../platform/ids';
import type { ProbeSettings } from './checks';
import type { SecretBox } from '../platform/secret-box';
import type { ProbesTable } from './tables';

export type ProbeRow = Selectable<ProbesTable>;
type Input = ReturnType<typeof CreateProbeRequest.parse>;

const SETTING_KEYS = ['method', 'expectedStatus', 'keyword', 'keywordMode', 'followRedirects', 'headers', 'authType', 'authUsername', 'serverName', 'caPem', 'warningDays', 'criticalDays', 'recordType', 'expectedAnswer', 'dnsServer'] as const;

export function settingsOf(row: ProbeRow): ProbeSettings {
  return parseJson<ProbeSettings>(row.settings, {} as ProbeSettings);
}

export function toProbe(row: ProbeRow): Probe {
  const paused = row.paused === 1;
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as Probe['kind'],
    target: row.target,
    intervalSeconds: Number(row.interval_seconds),
    timeoutSeconds: Number(row.timeout_ms) / 1000,
    retries: Number(row.retries),
    forSeconds: Number(row.for_seconds),
    severity: row.severity as Severity,
    ...settingsOf(row),
    secretSet: row.secret !== null,
    paused,
    state: paused ? 'paused' : (row.state as ProbeState),
    lastCheckedAt: row.last_checked_at === null ? null : Number(row.last_checked_at),
    lastLatencyMs: row.last_latency_ms === null ? null : Number(row.last_latency_ms),
    lastError: row.last_error,
    tlsExpiresAt: row.tls_expires_at === null ? null : Number(row.tls_expires_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

type Definition = Pick<Probe, 'name' | 'kind' | 'target' | 'intervalSeconds' | 'timeoutSeconds' | 'retries' | 'forSeconds' | 'severity' | (typeof SETTING_KEYS)[number]>;

/** The columns a probe's definition is stored in (settings as JSON). */
function definitionColumns(d: Definition) {
  return {
    name: d.name,
    kind: d.kind,
    target: d.target,
    settings: JSON.stringify(Object.fromEntries(SETTING_KEYS.map((k) => [k, d[k]]))),
    interval_seconds: d.intervalSeconds,
    timeout_ms: Math.round(d.timeoutSeconds * 1000),
    retries: d.retries,
    for_seconds: d.forSeconds,
    severity: d.severity,
  };
}

/** Probe definitions: create, list, update, pause, delete, and their recent results. */
export class ProbeService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly box: SecretBox,
    /** Resolves the open alert of a probe deleted or paused. */
    private readonly onRetired: (probe: Probe) => Promise<void>,
  ) {}

  async list(): Promise<Probe[]> {
    return (await this.db.selectFrom('probes').selectAll().orderBy('name').execute()).map(toProbe);
  }

  async row(id: string): Promise<ProbeRow> {
    const row = await this.db.selectFrom('probes').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Probe');
    return row;
  }

  async get(id: string): Promise<Probe> {
    return toProbe(await this.row(id));
  }

  async create(actor: Actor, input: Input): Promise<Probe> {
    const now = this.clock.now();
    await this.uniqueName(input.name, null);
    const row: ProbeRow = {
      id: uuid(),
      ...definitionColumns(input),
      secret: input.authType !== 'none' && input.secret ? this.box.seal(input.secret) : null,
      paused: input.paused ? 1 : 0,
      state: 'pending',
      failures: 0,
      failing_since: null,
      next_run_at: now,
      last_checked_at: null,
      last_latency_ms: null,
      last_error: null,
      tls_expires_at: null,
      created_at: now,
      updated_at: now,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('probes').values(row).execute();
      await this.audit.record(actor, { action: 'probe.created', targetType: 'probe', targetId: row.id, details: { name: row.name, kind: row.kind, target: row.target } }, trx);
    });
    return toProbe(row);
  }

  async update(actor: Actor, id: string, patch: UpdateProbeRequest): Promise<Probe> {
    const row = await this.row(id);
    const current = toProbe(row);
    const merged = { ...current, ...patch };
    const issues = probeIssues(merged as Parameters<typeof probeIssues>[0], row.secret !== null && merged.authType === current.authType);
    if (issues.length) {
      const details = issues.map((i) => ({ field: ['body', ...i.path.map(String)].join('.'), message: i.message }));
      throw new AppError('validation_failed', `${details[0]!.field}: ${details[0]!.message}`, details);
    }
    if (patch.name !== undefined) await this.uniqueName(patch.name, id);
    const now = this.clock.now();
    const secret = merged.authType === 'none' ? null : patch.secret ? this.box.seal(patch.secret) : row.secret;
    const redefined = ['kind', 'target', ...SETTING_KEYS].some((k) => k in patch) || patch.secret !== undefined;
    const resumed = patch.paused === false && row.paused === 1;
    const next: Partial<ProbeRow> = {
      ...definitionColumns(merged),
      secret,
      paused: merged.paused ? 1 : 0,
      updated_at: now,
      // A changed definition or a resumed probe is checked at once.
      ...((redefined || resumed) && { next_run_at: now }),
      // A paused probe starts again from pending.
      ...(patch.paused === true && { state: 'pending', failures: 0, failing_since: null }),
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('probes').set(next).where('id', '=', id).execute();
      const details = { ...patch, ...(patch.secret !== undefined && { secret: patch.secret === null ? 'cleared' : 'changed' }) };
      await this.audit.record(actor, { action: 'probe.updated', targetType: 'probe', targetId: id, details: details as Record<string, unknown> }, trx);
    });
    const updated = await this.get(id);
    if (patch.paused === true && row.paused === 0) await this.onRetired(updated);
    return updated;
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const probe = await this.get(id);
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('probes').where('id', '=', id).execute();
      await this.audit.record(actor, { action: 'probe.deleted', targetType: 'probe', targetId: id, details: { name: probe.name } }, trx);
    });
    await this.onRetired(probe);
  }

  async results(id: string, limit: number): Promise<ProbeResult[]> {
    await this.row(id);
    const rows = await this.db.selectFrom('probe_results').selectAll().where('probe_id', '=', id).orderBy('at', 'desc').limit(limit).execute();
    return rows.map((r) => ({ at: Number(r.at), success: r.success === 1, latencyMs: Number(r.latency_ms), message: r.message, tlsExpiresAt: r.tls_expires_at === null ? null : Number(r.tls_expires_at) }));
  }

  /** The password or token of a probe, opened for a check. */
  openSecret(row: ProbeRow): string | null {
    return row.secret === null ? null : this.box.open(row.secret);
  }

  private async uniqueName(name: string, exceptId: string | null): Promise<void> {
    const other = await this.db.selectFrom('probes').select('id').where('name', '=', name).executeTakeFirst();
    if (other && other.id !== exceptId) throw new AppError('conflict', `A probe named "${name}" already exists`);
  }
}
