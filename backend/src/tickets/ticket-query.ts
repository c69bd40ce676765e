import { sql, type Compilable, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Comment, SlaState, Ticket, TicketEvent, TicketFilter, TicketPage, TicketSort } from '../../../shared/api/tickets';
import type { Principal } from '../auth/auth-service';
import type { DialectName } from '../platform/db/dialect';
import type { Database } from '../platform/db/schema';
import type { JsonPages } from '../platform/db/sqlite-readers';
import { decodeCursor, encodeCursor } from '../platform/http/cursor';
import { AppError, notFound } from '../platform/http/errors';
import { JsonText } from '../platform/http/route-table';
import type { Clock } from '../platform/clock';
import { QueueAccess, type QueueScope } from '../queues/queue-access';
import type { TicketSearchIndex } from '../search/fts';
import { ticketJson } from './ticket-json';
import { TICKET_COLUMNS, toComment, toTicket, toTicketEvent, type TicketRow } from './ticket-model';

type ListOptions = { sort?: TicketSort; cursor?: string; limit: number };
/** The sort a listing uses: the one asked for, else relevance for a search and most recently updated otherwise. */
const sortOf = (filter: TicketFilter, options: ListOptions): TicketSort => options.sort ?? (filter.q ? 'relevance' : 'updated');
type Found<R> = { rows: (R & { number: number; sort_key: number })[]; sortName: TicketSort } | null;

interface SortSpec {
  /** The sort key; `number` is always the tie-breaker. */
  key: 'updated_at' | 'created_at' | 'priority_rank' | 'due_sort' | 'score';
  dir: 'asc' | 'desc';
}

const SORTS: Record<TicketSort, SortSpec> = {
  updated: { key: 'updated_at', dir: 'desc' },
  created: { key: 'created_at', dir: 'desc' },
  priority: { key: 'priority_rank', dir: 'desc' },
  due: { key: 'due_sort', dir: 'asc' },
  relevance: { key: 'score', dir: 'asc' },
};

const RUNNING = sql<SqlBool>`tickets.status not in ('resolved', 'closed')`;

/** SQL for the derived SLA state as of `now` (mirrors SlaClock.state). */
function slaCondition(state: SlaState, now: number): Expression<SqlBool> {
  const at = sql`coalesce(tickets.sla_paused_at, ${now})`;
  const breached = sql<SqlBool>`(tickets.response_breached_at is not null or tickets.resolution_breached_at is not null or (${RUNNING} and ((tickets.first_response_at is null and ${at} >= tickets.response_due_at) or ${at} >= tickets.resolution_due_at)))`;
  const warning = sql<SqlBool>`(${RUNNING} and ((tickets.first_response_at is null and ${at} >= tickets.response_warn_at) or ${at} >= tickets.resolution_warn_at))`;
  if (state === 'breached') return breached;
  if (state === 'warning') return sql<SqlBool>`(not ${breached} and ${warning})`;
  return sql<SqlBool>`(not ${breached} and not ${warning})`;
}

/** Reads of tickets: one by id (404 outside the caller's queues) and filtered, sorted, keyset-paged lists. */
export class TicketQuery {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly access: QueueAccess,
    private readonly search: TicketSearchIndex,
    private readonly clock: Clock,
    private readonly dialect: DialectName,
    /** SQLite with reader threads: listing pages come back as one JSON text (see `listJson`). */
    private readonly pages?: JsonPages,
  ) {}

  async row(id: string, trx: Kysely<Database> = this.db): Promise<TicketRow | undefined> {
    return trx.selectFrom('tickets').select(TICKET_COLUMNS).where('id', '=', id).executeTakeFirst();
  }

  /** The ticket if the caller may see it; another queue's ticket is "not found", never "forbidden". */
  async visibleRow(principal: Principal, id: string, scope?: QueueScope): Promise<TicketRow> {
    const row = await this.row(id);
    const s = scope ?? (await this.access.scopeOf(principal));
    if (!row || !QueueAccess.sees(s, row.queue_id)) throw notFound('Ticket');
    return row;
  }

  async get(principal: Principal, id: string): Promise<Ticket> {
    return toTicket(await this.visibleRow(principal, id), this.clock.now());
  }

  /** A visible ticket's comments, oldest first. */
  async comments(principal: Principal, id: string): Promise<Comment[]> {
    await this.visibleRow(principal, id);
    const rows = await this.db.selectFrom('ticket_comments').selectAll().where('ticket_id', '=', id).orderBy('created_at').orderBy('id').execute();
    const deliveries = await this.db.selectFrom('outbound_mail').selectAll().where('ticket_id', '=', id).where('comment_id', 'is not', null).execute();
    const byComment = new Map(deliveries.map((d) => [d.comment_id, d]));
    return rows.map((r) => toComment(r, byComment.get(r.id) ?? null));
  }

  /** A visible ticket's history, in the order it happened. */
  async events(principal: Principal, id: string): Promise<TicketEvent[]> {
    await this.visibleRow(principal, id);
    const rows = await this.db.selectFrom('ticket_events').selectAll().where('ticket_id', '=', id).orderBy('id').execute();
    return rows.map(toTicketEvent);
  }

  async list(principal: Principal, filter: TicketFilter, options: ListOptions): Promise<TicketPage> {
    const now = this.clock.now();
    const found = (await this.find(principal, filter, options, now, false)) as Found<TicketRow>;
    if (!found) return { items: [], nextCursor: null };
    return { items: found.rows.slice(0, options.limit).map((r) => toTicket(r, now)), nextCursor: nextCursor(found, options.limit) };
  }

  /**
   * The page `list` answers, as its JSON text: on SQLite each ticket's JSON is built by the query
   * (ticket-json.ts); on reader threads they also join the page into one JSON array text.
   */
  async listJson(principal: Principal, filter: TicketFilter, options: ListOptions): Promise<JsonText<TicketPage>> {
    if (this.dialect !== 'sqlite') return new JsonText(JSON.stringify(await this.list(principal, filter, options)));
    const empty = new JsonText<TicketPage>('{"items":[],"nextCursor":null}');
    if (this.pages) {
      // On the reader threads the page arrives as one JSON array text. Identical pages waiting for a
      // reader share one run: `build` makes the query from these inputs and the clock alone (the
      // caller's role and id decide what it may see), so a page that joins one builds nothing.
      const share = JSON.stringify(['tickets.listJson', principal.role, principal.userId, filter, options.sort ?? null, options.cursor ?? null]);
      const page = await this.pages.sharedPage(share, { column: 'json', limit: options.limit }, () => this.build(principal, filter, options, this.clock.now(), true)?.query.compile() ?? null);
      if (!page) return empty;
      const cursor = cursorAfter(sortOf(filter, options), page.count > options.limit ? (page.last as PageKey | null) : null);
      return new JsonText(`{"items":${page.json},"nextCursor":${JSON.stringify(cursor)}}`);
    }
    const built = this.build(principal, filter, options, this.clock.now(), true);
    if (!built) return empty;
    const found = { rows: (await built.query.execute()) as { json: string; number: number; sort_key: number }[], sortName: built.sortName };
    const items = found.rows.slice(0, options.limit).map((r) => r.json);
    return new JsonText(`{"items":[${items.join(',')}],"nextCursor":${JSON.stringify(nextCursor(found, options.limit))}}`);
  }

  /** The page's rows (limit + 1, to tell whether another page follows): whole rows, or each ticket's JSON (`json`, SQLite). */
  private async find(principal: Principal, filter: TicketFilter, options: ListOptions, now: number, json: boolean): Promise<Found<unknown>> {
    const built = this.build(principal, filter, options, now, json);
    if (!built) return null;
    return { rows: (await built.query.execute()) as (TicketRow & { number: number; sort_key: number })[], sortName: built.sortName };
  }

  /** The page's query, not yet run (null: the search text has nothing searchable). */
  private build(principal: Principal, filter: TicketFilter, options: ListOptions, now: number, json: boolean) {
    const sortName = sortOf(filter, options);
    const sort = SORTS[sortName];
    let after: { key: number; number: number } | undefined;
    if (options.cursor) {
      const [name, key, number] = decodeCursor(options.cursor, ['string', 'number', 'number']);
      if (name !== sortName) throw new AppError('bad_request', `cursor belongs to sort=${String(name)}, not sort=${sortName}`);
      after = { key: key as number, number: number as number };
    }

    const match = filter.q !== undefined && filter.q.trim() !== '' ? this.search.match(filter.q, sortName === 'relevance') : undefined;
    if (match === null) return null;
    if (sortName === 'relevance' && !match) throw new AppError('bad_request', 'sort=relevance needs a search text (q)');

    let q = this.db.selectFrom('tickets');
    if (match?.kind === 'join') q = q.innerJoin(match.source, 'fts.fts_number', 'tickets.number') as unknown as typeof q;
    let query = q;
    if (match?.kind === 'where') query = query.where(match.where);
    // Agents see their queues' tickets; the membership check rides along in the same query.
    if (principal.role === 'agent') {
      const userId = principal.userId;
      query = query.where('tickets.queue_id', 'in', (eb) => eb.selectFrom('queue_members').select('queue_members.queue_id').where('queue_members.user_id', '=', userId));
    }
    if (filter.queue) query = query.where('tickets.queue_id', '=', filter.queue);
    if (filter.status?.length) query = query.where('tickets.status', 'in', filter.status);
    if (filter.priority?.length) query = query.where('tickets.priority', 'in', filter.priority);
    if (filter.assignee === 'unassigned') query = query.where('tickets.assignee_id', 'is', null);
    else if (filter.assignee) query = query.where('tickets.assignee_id', '=', filter.assignee === 'me' ? principal.userId : filter.assignee);
    if (filter.tag) {
      const tag = filter.tag;
      query = query.where((eb) => eb.exists(eb.selectFrom('ticket_tags').select('ticket_tags.tag').whereRef('ticket_tags.ticket_id', '=', 'tickets.id').where('ticket_tags.tag', '=', tag)));
    }
    if (filter.sla?.length) {
      const states = filter.sla;
      query = query.where((eb) => eb.or(states.map((s) => slaCondition(s, now) as never)));
    }

    const keyExpr = sort.key === 'score' ? match!.score : sql.ref(`tickets.${sort.key}`);
    if (after) {
      const cmp = sort.dir === 'asc' ? sql.raw('>') : sql.raw('<');
      query = query.where(sql<SqlBool>`(${keyExpr} ${cmp} ${after.key} or (${keyExpr} = ${after.key} and tickets.number ${cmp} ${after.number}))`);
    }
    const columns = json ? [ticketJson(now).as('json'), 'tickets.number' as const] : TICKET_COLUMNS.map((c) => `tickets.${c}` as const);
    // A search pages by score over up to RANK_WINDOW matches: the sort keeps only numbers and scores,
    // and only the page's rows are read whole (a thousand full rows in the sort cost as much again).
    const page: Compilable & { execute(): Promise<unknown[]> } = match
      ? this.db
          .with('page', () => query.select(['tickets.number', keyExpr.as('sort_key')]).orderBy(keyExpr, sort.dir).orderBy('tickets.number', sort.dir).limit(options.limit + 1))
          .selectFrom('page')
          .innerJoin('tickets', 'tickets.number', 'page.number')
          .select([...columns, 'page.sort_key'])
          .orderBy('page.sort_key', sort.dir)
          .orderBy('page.number', sort.dir)
      : query
          .select([...columns, keyExpr.as('sort_key')])
          .orderBy(keyExpr, sort.dir)
          .orderBy('tickets.number', sort.dir)
          .limit(options.limit + 1);
    return { query: page, sortName };
  }

  /** Requesters of the tickets the caller may see, most frequent first (completion in the new-ticket form). */
  async requesters(principal: Principal, q: string, limit: number): Promise<{ name: string; email: string; tickets: number }[]> {
    const scope = await this.access.scopeOf(principal);
    if (!scope.all && scope.queueIds.length === 0) return [];
    let query = this.db
      .selectFrom('tickets')
      .select((eb) => ['requester_email', eb.fn.max('requester_name').as('name'), eb.fn.countAll<number>().as('n')])
      .groupBy('requester_email');
    if (!scope.all) query = query.where('queue_id', 'in', scope.queueIds);
    const needle = q.toLowerCase().replace(/[%_\\]/g, '');
    if (needle) query = query.where((eb) => eb.or([eb(eb.fn('lower', ['requester_email']), 'like', `%${needle}%`), eb(eb.fn('lower', ['requester_name']), 'like', `%${needle}%`)]));
    const rows = await query.orderBy('n', 'desc').orderBy('requester_email').limit(limit).execute();
    return rows.map((r) => ({ name: String(r.name ?? ''), email: r.requester_email, tickets: Number(r.n) }));
  }
}

type PageKey = { sort_key: number; number: number };

function nextCursor(found: NonNullable<Found<unknown>>, limit: number): string | null {
  return cursorAfter(found.sortName, found.rows.length > limit ? found.rows[limit - 1] : null);
}

/** The cursor of the page after `last` (the page's last row), or null when no page follows. */
function cursorAfter(sortName: TicketSort, last: PageKey | null | undefined): string | null {
  return last ? encodeCursor([sortName, Number(last.sort_key), Number(last.number)]) : null;
}
