import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { SyncChange, SyncEntity, SyncPage } from '../../../shared/api/sync';
import type { Principal } from '../auth/auth-service';
import type { DialectName } from '../platform/db/dialect';
import type { Database } from '../platform/db/schema';
import type { Clock } from '../platform/clock';
import { readSnapshot, type Snapshot } from './snapshot';
import { FeedJson } from './sync-json';
import { visibleTo } from './visibility';

/**
 * Who may see a change:
 * - `all`: every signed-in user;
 * - `queue`: members of `queueId`, plus oncall and admin (a move records `prevQueueId`, so members
 *   of the old queue who cannot see the new one get a tombstone);
 * - `oncall` / `admin`: that role and above;
 * - `user`: only `userId`.
 */
export type Audience =
  | { kind: 'all' }
  | { kind: 'queue'; queueId: string; prevQueueId?: string | null }
  | { kind: 'oncall' }
  | { kind: 'admin' }
  | { kind: 'user'; userId: string };

export interface ChangeInput {
  entity: SyncEntity;
  id: string;
  op: 'upsert' | 'delete';
  audience: Audience;
  data: unknown;
  actorId?: string | null;
}

export interface ReadOptions {
  /**
   * Backfill of one queue (a member who just joined it): the queue's current rows, each once, as
   * last recorded; never an older snapshot of a ticket or comment that has since moved elsewhere.
   */
  onlyQueue?: string;
}

/**
 * Stored op of a tombstone addressed to one user whose visibility shrank (e.g. removed from a
 * queue); `read` hands it out as a delete with reason `left_visibility`.
 */
export const REVOKE_OP = 'revoke';

/** The latest record of each ticket, comment or queue that is in `queueId` now (see ReadOptions). */
function backfillOf(eb: ExpressionBuilder<Database, 'changes'>, queueId: string) {
  const latest = eb.not(
    eb.exists(eb.selectFrom('changes as later').select('later.seq').whereRef('later.entity', '=', 'changes.entity').whereRef('later.entity_id', '=', 'changes.entity_id').whereRef('later.seq', '>', 'changes.seq')),
  );
  const ticketHere = eb.exists(eb.selectFrom('tickets').select('tickets.id').whereRef('tickets.id', '=', 'changes.entity_id').where('tickets.queue_id', '=', queueId));
  const commentHere = eb.exists(
    eb.selectFrom('ticket_comments').innerJoin('tickets', 'tickets.id', 'ticket_comments.ticket_id').select('ticket_comments.id').whereRef('ticket_comments.id', '=', 'changes.entity_id').where('tickets.queue_id', '=', queueId),
  );
  return eb.and([
    eb('audience', '=', 'queue'),
    eb('queue_id', '=', queueId),
    eb('op', '=', 'upsert'),
    latest,
    eb.or([eb.and([eb('entity', '=', 'ticket'), ticketHere]), eb.and([eb('entity', '=', 'comment'), commentHere]), eb.and([eb('entity', '=', 'queue'), eb('entity_id', '=', queueId)])]),
  ]);
}

// Any constant; PostgreSQL transactions that append to the feed take it until commit.
const FEED_LOCK_KEY = 7_270_041;

/**
 * The delta-sync feed. `record` runs inside the writer's transaction and assigns the sequence there.
 * On PostgreSQL an advisory lock held until commit makes sequence order equal commit order, so a
 * reader that has seen sequence N has seen everything below N; SQLite's single writer gives the same.
 */
export class ChangeFeed {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
    private readonly clock: Clock,
    /** Sync pages and the head are heavy, frequent reads: the reader threads on SQLite. */
    private readonly reader: Kysely<Database> = db,
  ) {
    this.json = new FeedJson(dialect);
  }

  private readonly json: FeedJson;

  /**
   * Takes the feed lock now (PostgreSQL; a no-op on SQLite). Writers that lock rows call this first,
   * so every transaction takes the feed lock before any row lock and two writers cannot deadlock.
   */
  async lock(trx: Kysely<Database>): Promise<void> {
    if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${FEED_LOCK_KEY})`.execute(trx);
  }

  async record(trx: Kysely<Database>, change: ChangeInput): Promise<number> {
    await this.lock(trx);
    const row = await trx.insertInto('changes').values(this.rowOf(change, this.clock.now())).returning('seq').executeTakeFirstOrThrow();
    return Number(row.seq);
  }

  /**
   * Records many changes with one statement per 500 (a webhook's batch) and returns their
   * sequences in the order given. The rows of one insert take ascending sequences in the order
   * of its VALUES, and the feed lock (or SQLite's single writer) keeps other writers out between them.
   */
  async recordMany(trx: Kysely<Database>, changes: ChangeInput[]): Promise<number[]> {
    if (changes.length === 0) return [];
    await this.lock(trx);
    const at = this.clock.now();
    const seqs: number[] = [];
    for (let i = 0; i < changes.length; i += 500) {
      const rows = await trx.insertInto('changes').values(changes.slice(i, i + 500).map((c) => this.rowOf(c, at))).returning('seq').execute();
      seqs.push(...rows.map((r) => Number(r.seq)).sort((x, y) => x - y));
    }
    return seqs;
  }

  private rowOf(change: ChangeInput, at: number) {
    const a = change.audience;
    return {
      entity: change.entity,
      entity_id: change.id,
      op: change.op,
      audience: a.kind,
      queue_id: a.kind === 'queue' ? a.queueId : null,
      prev_queue_id: a.kind === 'queue' ? (a.prevQueueId ?? null) : null,
      user_id: a.kind === 'user' ? a.userId : null,
      data: change.op === 'delete' ? null : JSON.stringify(change.data),
      actor_id: change.actorId ?? null,
      at,
    };
  }

  async head(): Promise<number> {
    const r = await this.reader.selectFrom('changes').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst();
    return Number(r?.m ?? 0);
  }

  /**
   * The caller's changes after `since`, in commit order. `queueIds` are the queues an agent belongs
   * to (ignored for oncall and admin, who see every queue).
   */
  async read(principal: Principal, queueIds: string[], since: number, limit: number, options: ReadOptions = {}): Promise<SyncPage> {
    const { page, nextCursor, done } = await this.page(principal, queueIds, since, limit, options);
    const changes: SyncChange[] = page.map(({ row: r, leftVisibility }) => {
      if (leftVisibility) {
        return { seq: Number(r.seq), entity: r.entity as SyncEntity, id: r.entity_id, op: 'delete', data: null, reason: 'left_visibility', at: r.at };
      }
      return {
        seq: Number(r.seq),
        entity: r.entity as SyncEntity,
        id: r.entity_id,
        op: r.op as 'upsert' | 'delete',
        data: r.data === null ? null : (JSON.parse(r.data) as unknown),
        ...(r.op === 'delete' && { reason: 'deleted' as const }),
        at: r.at,
      };
    });
    return { changes, nextCursor, done };
  }

  /**
   * The same page as `read`, already serialized as a SyncPage by the database (see sync-json.ts):
   * one string crosses from the reader thread instead of the page's rows, and stored records are
   * spliced in as they are instead of being parsed and stringified again (large pulls).
   */
  async readJson(principal: Principal, queueIds: string[], since: number, limit: number, options: ReadOptions = {}): Promise<string> {
    const head = await this.head();
    const j = this.json;
    const p = (c: string) => sql.ref(`p.${c}`);
    const left =
      principal.role !== 'agent'
        ? sql`p.op = ${REVOKE_OP}`
        : sql`(p.op = ${REVOKE_OP} or (p.audience = 'queue' and ${queueIds.length ? sql`coalesce(p.queue_id, '') not in (${sql.join(queueIds)})` : sql`1 = 1`}))`;
    const line = sql<string>`'{"seq":' || ${j.int(p('seq'))} || ',"entity":' || ${j.quote(p('entity'))} || ',"id":' || ${j.quote(p('entity_id'))} || case
        when ${left} then ',"op":"delete","data":null,"reason":"left_visibility"'
        when p.op = 'delete' then ',"op":"delete","data":null,"reason":"deleted"'
        else ',"op":' || ${j.quote(p('op'))} || ',"data":' || coalesce(p.data, 'null') end || ',"at":' || ${j.int(p('at'))} || '}'`;
    // One row more than the page tells whether the feed goes on; it is numbered out of the page.
    const rows = this.pageQuery(principal, queueIds, since, head, limit + 1, options).select(['seq', 'entity', 'entity_id', 'op', 'audience', 'queue_id', 'data', 'at', sql<number>`row_number() over (order by seq)`.as('rn')]);
    const r = await this.reader
      .selectFrom(rows.as('p'))
      .select([
        sql<number | string>`count(*)`.as('n'),
        sql<number | string | null>`max(case when p.rn <= ${limit} then p.seq end)`.as('last'),
        j.join(sql`case when p.rn <= ${limit} then ${line} end`, ',', sql`p.seq`).as('body'),
      ])
      .executeTakeFirstOrThrow();
    const done = Number(r.n) <= limit;
    return `{"changes":[${r.body ?? ''}],"nextCursor":${done ? head : Number(r.last)},"done":${done}}`;
  }

  /** A first sync as one stream of the latest visible records as of `at` (see snapshot.ts). */
  snapshot(principal: Principal, queueIds: string[], at: number, after: number): Promise<Snapshot> {
    return readSnapshot(this.reader, this.json, principal, queueIds, at, after);
  }

  /** The caller's changes after `since` up to `head` in commit order, at most `limit` (columns left to the caller). */
  private pageQuery(principal: Principal, queueIds: string[], since: number, head: number, limit: number, options: ReadOptions) {
    return this.reader
      .selectFrom('changes')
      .where('seq', '>', since)
      .where('seq', '<=', head)
      .where((eb) => (options.onlyQueue !== undefined ? backfillOf(eb, options.onlyQueue) : visibleTo('changes', principal, queueIds)))
      .orderBy('seq')
      .limit(limit);
  }

  private async page(principal: Principal, queueIds: string[], since: number, limit: number, options: ReadOptions) {
    // Reading the head first bounds the page to a committed prefix of the feed (see class comment).
    const head = await this.head();
    const seesAllQueues = principal.role !== 'agent';
    const rows = await this.pageQuery(principal, queueIds, since, head, limit + 1, options).selectAll().execute();
    const page = rows.slice(0, limit);
    const mine = new Set(queueIds);
    const done = rows.length <= limit;
    const last = page[page.length - 1];
    return {
      page: page.map((row) => ({ row, leftVisibility: row.op === REVOKE_OP || (!seesAllQueues && row.audience === 'queue' && !mine.has(row.queue_id ?? '')) })),
      // A cursor beyond the head (the database was restored from a backup) comes back lowered, so
      // the client sees it is ahead of the server and resyncs.
      nextCursor: done ? head : Number(last!.seq),
      done,
    };
  }
}
