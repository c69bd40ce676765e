import type { Kysely } from 'kysely';
import type { CreateSilenceRequest, Matcher, Silence } from '../../../shared/api/alerts';
import type { Actor, AuditLog } from '../audit/audit-log';
import type { Database } from '../platform/db/schema';
import { AppError, notFound } from '../platform/http/errors';
import type { Clock } from '../platform/clock';
import { uuid } from '../platform/ids';
import type { LabelSet } from '../alerts/labels';
import type { ChangeFeed } from '../sync/change-feed';
import type { EventHub } from '../platform/realtime/event-hub';
import { compileMatcher, matchesAll } from './matchers';

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

  toDto(r: Row): Silence {
    const now = this.clock.now();
    return {
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
    return dto;
  }

  /** Ends a silence now (Alertmanager's "expire"). */
  async expire(actor: Actor, id: string): Promise<Silence> {
    const now = this.clock.now();
    const row = await this.db.selectFrom('silences').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Silence');
    if (row.ends_at <= now) return this.toDto(row);
    const updated = { ...row, ends_at: Math.max(now, row.starts_at) };
    const dto = this.toDto(updated);
    const seq = await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('silences').set({ ends_at: updated.ends_at }).where('id', '=', id).execute();
      await this.audit.record(actor, { action: 'silence.expired', targetType: 'silence', targetId: id }, trx);
      return this.changes.record(trx, { entity: 'silence', id, op: 'upsert', audience: { kind: 'oncall' }, data: dto, actorId: actor.id });
    });
    this.cache = null;
    this.events.publish({ type: 'silence.expired', seq, actor: actor.id ? { id: actor.id, email: actor.email } : null, data: dto, at: now }, { kind: 'oncall' });
    await this.onChange();
    return dto;
  }

  async get(id: string): Promise<Silence> {
    const row = await this.db.selectFrom('silences').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Silence');
    return this.toDto(row);
  }

  async list(state?: Silence['state']): Promise<Silence[]> {
    const now = this.clock.now();
    let q = this.db.selectFrom('silences').selectAll();
    if (state === 'active') q = q.where('starts_at', '<=', now).where('ends_at', '>', now);
    if (state === 'pending') q = q.where('starts_at', '>', now);
    if (state === 'expired') q = q.where('ends_at', '<=', now);
    const rows = await q.orderBy('created_at', 'desc').limit(1000).execute();
    return rows.map((r) => this.toDto(r));
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
