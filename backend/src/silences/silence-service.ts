import type { Kysely } from 'kysely';
import type { Alert, CreateSilenceRequest, Matcher, Silence, UpdateSilenceRequest } from '../../../shared/api/alerts';
import type { Actor, AuditLog } from '../audit/audit-log';
import type { Database } from '../platform/db/schema';
import { AppError, notFound } from '../platform/http/errors';
import type { Clock } from '../platform/clock';
import { uuid } from '../platform/ids';
import type { LabelSet } from '../alerts/labels';
import type { ChangeFeed } from '../sync/change-feed';
import type { EventHub } from '../platform/realtime/event-hub';
import { compileMatcher, matchesAll } from './matchers';
import { ACTIVE, toAlert } from '../alerts/alert-model';

interface CompiledSilence {
  id: string;
  startsAt: number;
  endsAt: number;
  match: ((l: LabelSet) => boolean)[];
}

type Row = Database['silences'];

/**
 * Silences mute notifications for matching alerts between start and end; the alerts themselves stay
 * visible. Maintenance windows create silences through this service.
 */
export class SilenceService {
  private cache: CompiledSilence[] | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly changes: ChangeFeed,
    private readonly events: EventHub,
    /** Called after a silence is created or expires early, so open alerts are re-evaluated. */
    private readonly onChange: () => Promise<unknown>,
  ) {}

  toDto(r: Row, extra: { createdByName?: string | null; mutes?: number } = {}): Silence {
    const now = this.clock.now();
    return {
      createdByName: extra.createdByName ?? null,
      mutes: extra.mutes ?? 0,
      id: r.id,
      matchers: JSON.parse(r.matchers) as Matcher[],
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      comment: r.comment,
      createdBy: r.created_by,
      createdAt: r.created_at,
      state: now < r.starts_at ? 'pending' : now >= r.ends_at ? 'expired' : 'active',
    };
  }

  async create(actor: Actor, input: CreateSilenceRequest): Promise<Silence> {
    const now = this.clock.now();
    const startsAt = input.startsAt ?? now;
    if (input.endsAt <= startsAt) throw new AppError('unprocessable', 'endsAt must be after startsAt');
    if (input.endsAt <= now) throw new AppError('unprocessable', 'endsAt is in the past');
    input.matchers.forEach(compileMatcher); // invalid regex → 422 before anything is stored
    const row: Row = { id: uuid(), matchers: JSON.stringify(input.matchers), starts_at: startsAt, ends_at: input.endsAt, comment: input.comment, created_by: actor.id, created_at: now };
    const dto = this.toDto(row);
    const seq = await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('silences').values(row).execute();
      await this.audit.record(actor, { action: 'silence.created', targetType: 'silence', targetId: row.id, details: { matchers: input.matchers, startsAt, endsAt: input.endsAt } }, trx);
      return this.changes.record(trx, { entity: 'silence', id: row.id, op: 'upsert', audience: { kind: 'oncall' }, data: dto, actorId: actor.id });
    });
    this.cache = null;
    this.events.publish({ type: 'silence.created', seq, actor: actor.id ? { id: actor.id, email: actor.email } : null, data: dto, at: now }, { kind: 'oncall' });
    await this.onChange();
    return (await this.enrich([row]))[0]!;
  }

  /** Ends a silence now (Alertmanager's "expire"). */
  async expire(actor: Actor, id: string): Promise<Silence> {
    const now = this.clock.now();
    const row = await this.row(id);
    if (row.ends_at <= now) return (await this.enrich([row]))[0]!;
    return this.save(actor, { ...row, ends_at: Math.max(now, row.starts_at) }, 'silence.expired', {});
  }

  /** Changes a pending or active silence in place (its matchers, end or comment); an expired one is history. */
  async update(actor: Actor, id: string, patch: UpdateSilenceRequest): Promise<Silence> {
    const now = this.clock.now();
    const row = await this.row(id);
    if (row.ends_at <= now) throw new AppError('conflict', 'this silence has expired; create a new one');
    const endsAt = patch.endsAt ?? row.ends_at;
    if (endsAt <= now) throw new AppError('unprocessable', 'endsAt is in the past (use "expire now" to end it)');
    if (endsAt <= row.starts_at) throw new AppError('unprocessable', 'endsAt must be after startsAt');
    patch.matchers?.forEach(compileMatcher);
    const updated: Row = { ...row, ends_at: endsAt, comment: patch.comment ?? row.comment, matchers: patch.matchers ? JSON.stringify(patch.matchers) : row.matchers };
    return this.save(actor, updated, 'silence.updated', patch);
  }

  private async save(actor: Actor, updated: Row, action: 'silence.expired' | 'silence.updated', details: Record<string, unknown>): Promise<Silence> {
    const now = this.clock.now();
    const dto = this.toDto(updated);
    const seq = await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('silences').set({ ends_at: updated.ends_at, comment: updated.comment, matchers: updated.matchers }).where('id', '=', updated.id).execute();
      await this.audit.record(actor, { action, targetType: 'silence', targetId: updated.id, details }, trx);
      return this.changes.record(trx, { entity: 'silence', id: updated.id, op: 'upsert', audience: { kind: 'oncall' }, data: dto, actorId: actor.id });
    });
    this.cache = null;
    this.events.publish({ type: action, seq, actor: actor.id ? { id: actor.id, email: actor.email } : null, data: dto, at: now }, { kind: 'oncall' });
    await this.onChange();
    return (await this.enrich([updated]))[0]!;
  }

  /** The open alerts this silence mutes now. */
  async mutedAlerts(id: string): Promise<Alert[]> {
    await this.row(id);
    const rows = await this.db.selectFrom('alerts').selectAll().where('silence_id', '=', id).where('status', 'in', ACTIVE).orderBy('starts_at', 'desc').limit(1000).execute();
    return rows.map(toAlert);
  }

  /** The creators' names and how many open alerts each silence mutes. */
  private async enrich(rows: Row[]): Promise<Silence[]> {
    if (rows.length === 0) return [];
    const creators = [...new Set(rows.map((r) => r.created_by).filter((x): x is string => x !== null))];
    const names = creators.length ? await this.db.selectFrom('users').select(['id', 'name']).where('id', 'in', creators).execute() : [];
    const counts = await this.db
      .selectFrom('alerts')
      .select((eb) => ['silence_id', eb.fn.countAll<number>().as('n')])
      .where('silence_id', 'in', rows.map((r) => r.id))
      .where('status', 'in', ACTIVE)
      .groupBy('silence_id')
      .execute();
    return rows.map((r) => this.toDto(r, { createdByName: names.find((n) => n.id === r.created_by)?.name ?? null, mutes: Number(counts.find((c) => c.silence_id === r.id)?.n ?? 0) }));
  }

  private async row(id: string): Promise<Row> {
    const row = await this.db.selectFrom('silences').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Silence');
    return row;
  }

  async get(id: string): Promise<Silence> {
    return (await this.enrich([await this.row(id)]))[0]!;
  }

  async list(state?: Silence['state']): Promise<Silence[]> {
    const now = this.clock.now();
    let q = this.db.selectFrom('silences').selectAll();
    if (state === 'active') q = q.where('starts_at', '<=', now).where('ends_at', '>', now);
    if (state === 'pending') q = q.where('starts_at', '>', now);
    if (state === 'expired') q = q.where('ends_at', '<=', now);
    const rows = await q.orderBy('created_at', 'desc').limit(1000).execute();
    return this.enrich(rows);
  }

  /** The id of an active silence matching these labels, or null. Not-yet-expired silences are cached. */
  async match(labels: LabelSet, trx: Kysely<Database> = this.db): Promise<string | null> {
    const now = this.clock.now();
    if (!this.cache) {
      const rows = await trx.selectFrom('silences').selectAll().where('ends_at', '>', now).execute();
      this.cache = rows.map((r) => ({ id: r.id, startsAt: r.starts_at, endsAt: r.ends_at, match: (JSON.parse(r.matchers) as Matcher[]).map(compileMatcher) }));
    }
    for (const s of this.cache) if (s.startsAt <= now && now < s.endsAt && matchesAll(s.match, labels)) return s.id;
    return null;
  }

  /** Whether a silence started or ended in (from, to]: open alerts then need re-checking. */
  async boundaryBetween(from: number, to: number): Promise<boolean> {
    const hit = await this.db
      .selectFrom('silences')
      .select('id')
      .where((eb) => eb.or([eb.and([eb('starts_at', '>', from), eb('starts_at', '<=', to)]), eb.and([eb('ends_at', '>', from), eb('ends_at', '<=', to)])]))
      .limit(1)
      .executeTakeFirst();
    return hit !== undefined;
  }

  /** Drops the cache so silences that started or ended since are seen. */
  refresh(): void {
    this.cache = null;
  }
}
