import { existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { SyncChange } from '../../../shared/api/sync';
import type { Alert, Comment, HistoryEntry, Incident, Job, Queue, Runbook, SavedView, Silence, TicketDetail, TicketFilter, TicketSort, TicketSummary, UserRef } from '../../../shared/ipc';
import { silentLogger, type Logger } from '../ports';
import { migrateCache } from './migrations';
import {
  commentRowFromServer,
  parseAlert,
  parseIncident,
  parseJob,
  parseQueue,
  parseRunbook,
  parseSilence,
  parseUser,
  savedViewFromServer,
  ticketEventRowFromServer,
  ticketRowFromServer,
  type CommentRow,
  type TicketRow,
} from './records';

export interface OutboxRow {
  id: number;
  idempotency_key: string;
  kind: string;
  target_id: string;
  payload: string;
  base: string | null;
  summary: string;
  state: 'pending' | 'sending' | 'failed' | 'conflict' | 'done';
  attempts: number;
  error: string | null;
  conflicts: string;
  created_at: number;
}

export interface OpenedCache {
  cache: Cache;
  /** Set when the file was corrupt: it was moved aside to this path and a fresh cache created. */
  movedAside: string | null;
  salvagedOutbox: number;
}

const SORT_SQL: Record<TicketSort['field'], string> = {
  priority: 'priority_rank',
  number: 'number',
  subject: 'subject COLLATE NOCASE',
  requester: 'requester COLLATE NOCASE',
  status: 'status',
  assignee: 'assignee_id',
  updatedAt: 'updated_at',
  createdAt: 'created_at',
  slaDue: 'COALESCE(resolution_due_at, 9e15)',
};

/**
 * The one owner of the desktop cache database (see STYLE.md, Signal's ts/sql). Callers use the
 * typed functions below and never write SQL. Every multi-row write runs in one transaction.
 */
export class Cache {
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(
    readonly db: Database.Database,
    readonly file: string,
  ) {}

  /** Prepared statements are reused: preparing one costs more than running it. */
  stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  static open(file: string, logger: Logger = silentLogger): OpenedCache {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      return { cache: Cache.openUnchecked(file), movedAside: null, salvagedOutbox: 0 };
    } catch (err) {
      if (!isCorruption(err)) throw err;
      logger.warn('cache database is corrupt; moving it aside and rebuilding from the server', { file, error: (err as Error).message });
      const salvaged = salvageOutbox(file);
      const aside = `${file}.corrupt-${Date.now()}`;
      for (const suffix of ['', '-wal', '-shm']) if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
      const cache = Cache.openUnchecked(file);
      const insert = cache.db.prepare(
        'INSERT INTO outbox (idempotency_key, kind, target_id, payload, base, summary, state, attempts, error, conflicts, created_at) VALUES (@idempotency_key, @kind, @target_id, @payload, @base, @summary, @state, @attempts, @error, @conflicts, @created_at)',
      );
      cache.db.transaction(() => salvaged.forEach((r) => insert.run(r)))();
      return { cache, movedAside: aside, salvagedOutbox: salvaged.length };
    }
  }

  private static openUnchecked(file: string): Cache {
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw Object.assign(new Error(`quick_check: ${String(check)}`), { code: 'SQLITE_CORRUPT' });
      migrateCache(db);
      const cache = new Cache(db, file);
      // A bulk sync was interrupted: its pages are in, its search index is not.
      cache.finishDeferredIndex();
      return cache;
    } catch (err) {
      db.close();
      throw err;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // ── meta ─────────────────────────────────────────────────────────────────────────────────────
  getMeta(key: string): string | null {
    const row = this.stmt('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }
  setMeta(key: string, value: string): void {
    this.stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }
  /** True while a bulk sync has search indexing deferred (see migration 4). */
  get indexDeferred(): boolean {
    return this.getMeta('fts.deferred') !== null;
  }

  /** Rebuilds the search indexes and ends deferral, in one transaction. */
  finishDeferredIndex(): void {
    if (!this.indexDeferred) return;
    this.transaction(() => {
      this.db.exec("INSERT INTO tickets_fts(tickets_fts) VALUES ('rebuild'); INSERT INTO comments_fts(comments_fts) VALUES ('rebuild'); DELETE FROM meta WHERE key = 'fts.deferred';");
    });
  }

  get syncCursor(): number {
    return Number(this.getMeta('sync.cursor') ?? 0);
  }

  // ── applying server changes ──────────────────────────────────────────────────────────────────
  /** Applies one page of the change feed and advances the cursor, all in one transaction. */
  /**
   * `afterApply` runs inside the same transaction with the tickets touched, so the outbox can lay
   * pending local edits back over fresh server rows before anyone reads them.
   */
  applyPage(changes: SyncChange[], nextCursor: number, afterApply?: (ticketIds: Set<string>) => void, options: { deferIndex?: boolean } = {}): Set<string> {
    const touched = new Set<string>();
    this.transaction(() => {
      if (options.deferIndex && !this.indexDeferred) this.setMeta('fts.deferred', '1');
      for (const change of changes) this.applyChange(change, (id) => touched.add(id));
      if (nextCursor > this.syncCursor) this.setMeta('sync.cursor', String(nextCursor));
      this.setMeta('sync.lastSyncedAt', String(Date.now()));
      afterApply?.(touched);
    });
    return touched;
  }

  applyChange(change: SyncChange, onTicket?: (id: string) => void): void {
    const del = change.op === 'delete' || change.data == null;
    const data = change.data;
    switch (change.entity) {
      case 'ticket':
        if (del) this.stmt('DELETE FROM tickets WHERE id = ?').run(change.id);
        else this.upsertTicketRow(ticketRowFromServer(data));
        onTicket?.(change.id);
        return;
      case 'comment':
        if (del) this.stmt('DELETE FROM comments WHERE id = ?').run(change.id);
        else this.upsertCommentRow(commentRowFromServer(data));
        return;
      case 'ticket_event':
        if (del) this.stmt('DELETE FROM ticket_events WHERE id = ?').run(change.id);
        else {
          const e = ticketEventRowFromServer(data);
          this
            .stmt('INSERT OR REPLACE INTO ticket_events (id, ticket_id, at, actor_name, field, from_value, to_value) VALUES (@id, @ticket_id, @at, COALESCE(@actor_name, (SELECT name FROM users WHERE id = @actor_id)), @field, @from_value, @to_value)')
            .run(e);
        }
        return;
      case 'queue':
        return del ? this.deleteById('queues', change.id) : this.upsertQueue(parseQueue(data));
      case 'user':
        return del ? this.deleteById('users', change.id) : this.upsertUser(parseUser(data));
      case 'alert':
        return del ? this.deleteById('alerts', change.id) : this.upsertAlert(parseAlert(data));
      case 'silence':
        if (del) return this.deleteById('silences', change.id);
        return this.putSilence(parseSilence(data));
      case 'incident':
        if (del) return this.deleteById('incidents', change.id);
        {
          const i = parseIncident(data);
          this.stmt('INSERT OR REPLACE INTO incidents (id, state, updated_at, data) VALUES (?, ?, ?, ?)').run(i.id, i.state, i.updatedAt, JSON.stringify(i));
        }
        return;
      case 'runbook':
        if (del) return this.deleteById('runbooks', change.id);
        {
          const r = parseRunbook(data);
          this.stmt('INSERT OR REPLACE INTO runbooks (id, data) VALUES (?, ?)').run(r.id, JSON.stringify(r));
        }
        return;
      case 'job':
        if (del) return this.deleteById('jobs', change.id);
        {
          const j = parseJob(data);
          this.stmt('INSERT OR REPLACE INTO jobs (id, status, created_at, data) VALUES (?, ?, ?, ?)').run(j.id, j.status, j.createdAt, JSON.stringify(j));
        }
        return;
      case 'saved_view':
        if (del) return this.deleteById('saved_views', change.id);
        {
          const v = savedViewFromServer(data);
          this.stmt("INSERT OR REPLACE INTO saved_views (id, name, data, origin) VALUES (?, ?, ?, 'server')").run(v.id, v.name, JSON.stringify(v));
        }
        return;
      default:
        // backups, maintenance windows: read online, not cached.
        return;
    }
  }

  private deleteById(table: string, id: string): void {
    this.stmt(`DELETE FROM ${table} WHERE id = ?`).run(id);
  }

  upsertTicketRow(row: TicketRow): void {
    this
      .stmt(
        `INSERT INTO tickets (id, number, subject, description, status, priority, priority_rank, queue_id, requester, requester_email, assignee_id, tags, created_at, updated_at, first_response_due_at, resolution_due_at, sla_state, version, pending, conflict)
         VALUES (@id, @number, @subject, @description, @status, @priority, @priority_rank, @queue_id, @requester, @requester_email, @assignee_id, @tags, @created_at, @updated_at, @first_response_due_at, @resolution_due_at, @sla_state, @version, @pending, @conflict)
         ON CONFLICT(id) DO UPDATE SET number = excluded.number, subject = excluded.subject, description = excluded.description, status = excluded.status,
           priority = excluded.priority, priority_rank = excluded.priority_rank, queue_id = excluded.queue_id, requester = excluded.requester, requester_email = excluded.requester_email,
           assignee_id = excluded.assignee_id, tags = excluded.tags, created_at = excluded.created_at, updated_at = excluded.updated_at,
           first_response_due_at = excluded.first_response_due_at, resolution_due_at = excluded.resolution_due_at, sla_state = excluded.sla_state,
           version = excluded.version`,
      )
      .run(row);
  }

  upsertCommentRow(row: CommentRow): void {
    this
      .stmt(
        `INSERT INTO comments (id, ticket_id, author_id, author_name, body, internal, created_at, pending) VALUES (@id, @ticket_id, @author_id, @author_name, @body, @internal, @created_at, @pending)
         ON CONFLICT(id) DO UPDATE SET ticket_id = excluded.ticket_id, author_id = excluded.author_id, author_name = excluded.author_name, body = excluded.body,
           internal = excluded.internal, created_at = excluded.created_at, pending = excluded.pending`,
      )
      .run(row);
  }

  upsertQueue(q: Queue): void {
    this.stmt('INSERT OR REPLACE INTO queues (id, name, data) VALUES (?, ?, ?)').run(q.id, q.name, JSON.stringify(q));
  }
  upsertUser(u: UserRef): void {
    this.stmt('INSERT OR REPLACE INTO users (id, name, email, data) VALUES (?, ?, ?, ?)').run(u.id, u.name, u.email, JSON.stringify(u));
  }
  upsertAlert(a: Alert, pending = false): void {
    this
      .stmt('INSERT OR REPLACE INTO alerts (id, status, severity, last_seen_at, data, pending) VALUES (?, ?, ?, ?, ?, ?)')
      .run(a.id, a.status, a.severity, a.lastSeenAt, JSON.stringify({ ...a, pending }), pending ? 1 : 0);
  }

  /** Stores a ticket's history as read from the server (it does not travel through delta sync). */
  putTicketEvents(events: unknown[]): void {
    const insert = this.stmt(
      'INSERT OR REPLACE INTO ticket_events (id, ticket_id, at, actor_name, field, from_value, to_value) VALUES (@id, @ticket_id, @at, COALESCE(@actor_name, (SELECT name FROM users WHERE id = @actor_id)), @field, @from_value, @to_value)',
    );
    this.transaction(() => events.forEach((e) => insert.run(ticketEventRowFromServer(e))));
  }

  // ── tickets ──────────────────────────────────────────────────────────────────────────────────
  ticketRow(idOrNumber: { id: string } | { number: number }): TicketRow | undefined {
    return ('id' in idOrNumber
      ? this.stmt('SELECT * FROM tickets WHERE id = ?').get(idOrNumber.id)
      : this.stmt('SELECT * FROM tickets WHERE number = ?').get(idOrNumber.number)) as TicketRow | undefined;
  }

  listTickets(filter: TicketFilter, sort: TicketSort, offset: number, limit: number, meId: string | null): { items: TicketSummary[]; total: number } {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    const add = (clause: string, values: Record<string, unknown> = {}) => {
      where.push(clause);
      Object.assign(params, values);
    };
    if (filter.queueId) add('queue_id = @queueId', { queueId: filter.queueId });
    if (filter.status?.length) where.push(`status IN (${filter.status.map((s, i) => ((params[`s${i}`] = s), `@s${i}`)).join(',')})`);
    if (filter.priority?.length) where.push(`priority IN (${filter.priority.map((p, i) => ((params[`p${i}`] = p), `@p${i}`)).join(',')})`);
    if (filter.assignee === 'unassigned') where.push('assignee_id IS NULL');
    else if (filter.assignee) add('assignee_id = @assignee', { assignee: filter.assignee === 'me' ? (meId ?? '') : filter.assignee });
    if (filter.tag) add('EXISTS (SELECT 1 FROM json_each(tickets.tags) WHERE value = @tag)', { tag: filter.tag });
    if (filter.breaching) add("sla_state IN ('warning', 'breached')");
    if (filter.text?.trim()) add(`rid IN (${this.ftsTicketRids()})`, { q: ftsQuery(filter.text) });
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const dir = sort.dir === 'asc' ? 'ASC' : 'DESC';
    // Ties break by time then row id, which the (queue, column, updated_at) indexes already hold in order.
    const order = sort.field === 'updatedAt' ? `updated_at ${dir}, rid ${dir}` : `${SORT_SQL[sort.field]} ${dir}, updated_at ${dir}, rid ${dir}`;
    const rows = this
      .stmt(`SELECT * FROM tickets ${whereSql} ORDER BY ${order} LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit, offset }) as TicketRow[];
    const total = (this.stmt(`SELECT count(*) AS n FROM tickets ${whereSql}`).get(params) as { n: number }).n;
    return { items: rows.map(toSummary), total };
  }

  private ftsTicketRids(): string {
    return `SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH @q UNION SELECT t.rid FROM comments_fts JOIN comments c ON c.rid = comments_fts.rowid JOIN tickets t ON t.id = c.ticket_id WHERE comments_fts MATCH @q`;
  }

  /**
   * Full-text search over cached tickets and their comments. The newest SEARCH_WINDOW matches of
   * each are ranked (bm25, subject weighted up) so a common word stays fast on 100,000 tickets.
   */
  searchTickets(query: string, limit: number): { ticket: TicketSummary; snippet: string }[] {
    const q = ftsQuery(query);
    if (!q) return [];
    const rows = this
      .stmt(
        `WITH th AS (
           SELECT rowid AS rid, bm25(tickets_fts, 4.0, 1.0, 1.0, 1.0) AS score FROM tickets_fts WHERE tickets_fts MATCH @q ORDER BY rowid DESC LIMIT ${SEARCH_WINDOW}
         ), ch AS (
           SELECT rowid AS crid, bm25(comments_fts) AS score FROM comments_fts WHERE comments_fts MATCH @q ORDER BY rowid DESC LIMIT ${SEARCH_WINDOW}
         ), hits AS (
           SELECT rid, score, NULL AS body FROM th
           UNION ALL
           SELECT t.rid, ch.score + 0.5, c.body FROM ch JOIN comments c ON c.rid = ch.crid JOIN tickets t ON t.id = c.ticket_id
         ), best AS (SELECT rid, min(score) AS score, max(body) AS body FROM hits GROUP BY rid ORDER BY score LIMIT @limit)
         SELECT t.*, best.body AS hit_body FROM best JOIN tickets t ON t.rid = best.rid ORDER BY best.score`,
      )
      .all({ q, limit }) as (TicketRow & { hit_body: string | null })[];
    const words = (query.match(/[\p{L}\p{N}_]+/gu) ?? []).map((w) => w.toLowerCase());
    return rows.map((r) => ({ ticket: toSummary(r), snippet: snippet(r.hit_body ?? `${r.subject} — ${r.description}`, words) }));
  }

  ticketDetail(ref: { id: string } | { number: number }): TicketDetail | null {
    const row = this.ticketRow(ref);
    if (!row) return null;
    const comments = (
      this
        .stmt("SELECT c.rid, c.id, c.ticket_id, c.author_id, COALESCE(NULLIF(c.author_name, ''), u.name, '') AS author_name, c.body, c.internal, c.created_at, c.pending FROM comments c LEFT JOIN users u ON u.id = c.author_id WHERE c.ticket_id = ? ORDER BY c.created_at, c.rid")
        .all(row.id) as CommentRow[]
    ).map(toComment);
    const history = (
      this.stmt('SELECT * FROM ticket_events WHERE ticket_id = ? ORDER BY at, id').all(row.id) as { id: string; ticket_id: string; at: number; actor_name: string | null; field: string; from_value: string; to_value: string }[]
    ).map(
      (e): HistoryEntry => ({ id: e.id, ticketId: e.ticket_id, at: e.at, actorName: e.actor_name, field: e.field, from: JSON.parse(e.from_value) as unknown, to: JSON.parse(e.to_value) as unknown }),
    );
    const pendingFields = new Set<string>();
    for (const o of this.stmt("SELECT payload FROM outbox WHERE target_id = ? AND kind = 'ticket.update' AND state != 'done'").all(row.id) as { payload: string }[]) {
      for (const k of Object.keys((JSON.parse(o.payload) as { changes: object }).changes)) pendingFields.add(k);
    }
    return { ticket: { ...toSummary(row), description: row.description }, comments, history, pendingFields: [...pendingFields] };
  }

  ticketCount(): number {
    return (this.stmt('SELECT count(*) AS n FROM tickets').get() as { n: number }).n;
  }

  // ── other lists ──────────────────────────────────────────────────────────────────────────────
  queues(): Queue[] {
    return this.jsonRows<Queue>('SELECT data FROM queues ORDER BY name');
  }
  users(): UserRef[] {
    return this.jsonRows<UserRef>('SELECT data FROM users ORDER BY name');
  }
  alerts(status?: string[], severity?: string[], limit = 500): Alert[] {
    const where: string[] = [];
    if (status?.length) where.push(`status IN (${status.map((s) => `'${s.replace(/'/g, '')}'`).join(',')})`);
    if (severity?.length) where.push(`severity IN (${severity.map((s) => `'${s.replace(/'/g, '')}'`).join(',')})`);
    return this.jsonRows<Alert>(`SELECT data FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY last_seen_at DESC LIMIT ${Math.floor(limit)}`);
  }
  alert(id: string): Alert | null {
    return this.jsonRows<Alert>('SELECT data FROM alerts WHERE id = ?', id)[0] ?? null;
  }
  alertCounts(): Record<string, number> {
    const counts: Record<string, number> = { low: 0, medium: 0, high: 0, critical: 0 };
    for (const r of this.stmt("SELECT severity, count(*) AS n FROM alerts WHERE status = 'firing' GROUP BY severity").all() as { severity: string; n: number }[]) counts[r.severity] = r.n;
    return counts;
  }
  unackedAlertCount(): number {
    return (this.stmt("SELECT count(*) AS n FROM alerts WHERE status = 'firing'").get() as { n: number }).n;
  }
  putSilence(s: Silence): void {
    this.stmt('INSERT OR REPLACE INTO silences (id, ends_at, data) VALUES (?, ?, ?)').run(s.id, s.endsAt, JSON.stringify(s));
  }
  removeSilence(id: string): void {
    this.deleteById('silences', id);
  }
  silences(now: number): Silence[] {
    return this.jsonRows<Silence>('SELECT data FROM silences WHERE ends_at > ? ORDER BY ends_at', now);
  }
  incidents(): Incident[] {
    return this.jsonRows<Incident>('SELECT data FROM incidents ORDER BY updated_at DESC');
  }
  runbooks(): Runbook[] {
    return this.jsonRows<Runbook>('SELECT data FROM runbooks');
  }
  jobs(limit: number): Job[] {
    return this.jsonRows<Job>(`SELECT data FROM jobs ORDER BY created_at DESC LIMIT ${Math.floor(limit)}`);
  }
  savedViews(): SavedView[] {
    return this.jsonRows<SavedView>('SELECT data FROM saved_views ORDER BY name');
  }
  saveView(v: SavedView): void {
    this.stmt("INSERT OR REPLACE INTO saved_views (id, name, data, origin) VALUES (?, ?, ?, 'local')").run(v.id, v.name, JSON.stringify(v));
  }
  removeView(id: string): void {
    this.deleteById('saved_views', id);
  }
  saveDraft(ticketId: string, body: string, internal: boolean, now: number): void {
    if (!body) this.stmt('DELETE FROM drafts WHERE ticket_id = ?').run(ticketId);
    else this.stmt('INSERT OR REPLACE INTO drafts (ticket_id, body, internal, updated_at) VALUES (?, ?, ?, ?)').run(ticketId, body, internal ? 1 : 0, now);
  }
  draft(ticketId: string): { body: string; internal: boolean } | null {
    const r = this.stmt('SELECT body, internal FROM drafts WHERE ticket_id = ?').get(ticketId) as { body: string; internal: number } | undefined;
    return r ? { body: r.body, internal: r.internal === 1 } : null;
  }

  private jsonRows<T>(sql: string, ...args: unknown[]): T[] {
    return (this.stmt(sql).all(...args) as { data: string }[]).map((r) => JSON.parse(r.data) as T);
  }

  /** Everything synced is dropped (the outbox stays): used when the server's feed was reset. */
  clearSynced(): void {
    this.transaction(() => {
      for (const t of ['tickets', 'comments', 'ticket_events', 'queues', 'users', 'alerts', 'silences', 'incidents', 'runbooks', 'jobs']) this.db.exec(`DELETE FROM ${t}`);
      this.db.exec("DELETE FROM saved_views WHERE origin = 'server'");
      this.setMeta('sync.cursor', '0');
    });
  }
}

export function toSummary(r: TicketRow): TicketSummary {
  return {
    id: r.id,
    number: r.number,
    subject: r.subject,
    status: r.status as TicketSummary['status'],
    priority: r.priority as TicketSummary['priority'],
    queueId: r.queue_id,
    requester: r.requester,
    requesterEmail: r.requester_email,
    assigneeId: r.assignee_id,
    tags: JSON.parse(r.tags) as string[],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    firstResponseDueAt: r.first_response_due_at,
    resolutionDueAt: r.resolution_due_at,
    slaState: r.sla_state as TicketSummary['slaState'],
    version: r.version,
    pending: r.pending === 1,
    conflict: r.conflict === 1,
  };
}

function toComment(c: CommentRow): Comment {
  return { id: c.id, ticketId: c.ticket_id, authorId: c.author_id, authorName: c.author_name, body: c.body, internal: c.internal === 1, createdAt: c.created_at, pending: c.pending === 1 };
}

/** Matches ranked per table by search; older matches beyond it are not considered. */
export const SEARCH_WINDOW = 300;

/** About 120 characters around the first matching word, the word in [brackets]. */
function snippet(text: string, words: string[]): string {
  const lower = text.toLowerCase();
  let at = -1;
  let word = '';
  for (const w of words) {
    const i = lower.indexOf(w);
    if (i >= 0 && (at < 0 || i < at)) [at, word] = [i, w];
  }
  if (at < 0) return text.slice(0, 120);
  const start = Math.max(0, at - 50);
  const end = Math.min(text.length, at + word.length + 70);
  return `${start > 0 ? '…' : ''}${text.slice(start, at)}[${text.slice(at, at + word.length)}]${text.slice(at + word.length, end)}${end < text.length ? '…' : ''}`;
}

/** Turns user text into a safe FTS5 query: each word a quoted prefix term, all required. */
export function ftsQuery(text: string): string {
  const words = text.match(/[\p{L}\p{N}_]+/gu) ?? [];
  return words
    .slice(0, 12)
    .map((w) => `"${w}"*`)
    .join(' ');
}

function isCorruption(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT') || /malformed|not a database/i.test((err as Error).message ?? '');
}

/** Reads whatever outbox rows a corrupt file still yields, so offline work survives a rebuild. */
function salvageOutbox(file: string): OutboxRow[] {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return db.prepare("SELECT * FROM outbox WHERE state != 'done' ORDER BY id").all() as OutboxRow[];
    } finally {
      db.close();
    }
  } catch {
    return [];
  }
}
