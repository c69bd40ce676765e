import { existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { SnapshotRecord, SyncChange } from '../../../shared/api/sync';
import type { Alert, Incident, Job, Queue, Runbook, SavedView, Silence, UserRef } from '../../../shared/ipc';
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
  ticketRowFromServer,
} from './records';
import { OutboxRepo, type OutboxRow } from './outbox-repo';
import { Sql } from './sql';
import { TicketsRepo } from './tickets-repo';

/** How far an interrupted snapshot got: its cursor, the last record applied and how many were. */
export interface SnapshotProgress {
  at: number;
  after: number;
  done: number;
}

export interface OpenedCache {
  cache: Cache;
  /** Set when the file was corrupt: it was moved aside to this path and a fresh cache created. */
  movedAside: string | null;
  salvagedOutbox: number;
}

/**
 * The one owner of the desktop cache database (see STYLE.md, Signal's ts/sql). Callers use the
 * typed functions below and its repositories (`tickets`, `outbox`) and never write SQL; the
 * database handle does not leave electron/core/cache. Every multi-row write runs in one transaction.
 */
export class Cache {
  readonly outbox: OutboxRepo;
  readonly tickets: TicketsRepo;
  private readonly sql: Sql;

  private constructor(
    db: Database.Database,
    readonly file: string,
  ) {
    this.sql = new Sql(db);
    this.outbox = new OutboxRepo(this.sql);
    this.tickets = new TicketsRepo(this.sql, this.outbox);
  }

  static open(file: string, logger: Logger = silentLogger): OpenedCache {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      return { cache: Cache.openUnchecked(file), movedAside: null, salvagedOutbox: 0 };
    } catch (err) {
      if (!isCorruption(err)) throw err;
      logger.warn('cache database is corrupt; moving it aside and rebuilding from the server', { file, error: (err as Error).message });
      const salvaged = salvageOutbox(file, logger);
      const aside = `${file}.corrupt-${Date.now()}`;
      for (const suffix of ['', '-wal', '-shm']) if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
      const cache = Cache.openUnchecked(file);
      cache.outbox.restore(salvaged);
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
    this.sql.close();
  }

  /** Runs `fn` in one transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T {
    return this.sql.transaction(fn);
  }

  // ── meta ─────────────────────────────────────────────────────────────────────────────────────
  getMeta(key: string): string | null {
    const row = this.sql.stmt('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }
  setMeta(key: string, value: string): void {
    this.sql.stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }
  /** True while a bulk sync has search indexing deferred (see migration 4). */
  get indexDeferred(): boolean {
    return this.getMeta('fts.deferred') !== null;
  }

  /** Rebuilds the search indexes (and, after an initial sync, the secondary indexes and search triggers) and ends deferral, in one transaction. */
  finishDeferredIndex(): void {
    if (!this.indexDeferred) return;
    this.transaction(() => {
      const dropped = this.getMeta('indexes.deferred');
      for (const ddl of dropped ? (JSON.parse(dropped) as string[]) : []) this.sql.exec(ddl);
      this.sql.exec("INSERT INTO tickets_fts(tickets_fts) VALUES ('rebuild'); INSERT INTO comments_fts(comments_fts) VALUES ('rebuild'); DELETE FROM meta WHERE key IN ('fts.deferred', 'indexes.deferred');");
    });
  }

  /**
   * Starts deferral. On an initial sync the tickets' and comments' secondary indexes and search
   * triggers are dropped too (their DDL kept in meta) and made once at the end: building an index
   * from sorted rows is far cheaper than growing nine of them row by row, and a trigger that only
   * checks it is deferred still cost 40 % of each insert. A crash before the end remakes them on open.
   */
  private deferIndexes(): void {
    this.setMeta('fts.deferred', '1');
    if (this.syncCursor !== 0) return;
    const dropped = this.sql
      .stmt("SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name IN ('tickets', 'comments') AND sql IS NOT NULL")
      .all() as { type: 'index' | 'trigger'; name: string; sql: string }[];
    this.setMeta('indexes.deferred', JSON.stringify(dropped.map((i) => i.sql)));
    for (const i of dropped) this.sql.exec(`DROP ${i.type === 'index' ? 'INDEX' : 'TRIGGER'} "${i.name}"`);
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
      if (options.deferIndex && !this.indexDeferred) this.deferIndexes();
      for (const change of changes) this.applyChange(change, (id) => touched.add(id));
      if (nextCursor > this.syncCursor) this.setMeta('sync.cursor', String(nextCursor));
      this.setMeta('sync.lastSyncedAt', String(Date.now()));
      afterApply?.(touched);
    });
    return touched;
  }

  /** The snapshot being applied while the cursor is still 0: its cursor and the last record applied. */
  snapshotProgress(): SnapshotProgress | null {
    const raw = this.syncCursor === 0 ? this.getMeta('snapshot.partial') : null;
    return raw ? (JSON.parse(raw) as SnapshotProgress) : null;
  }

  /**
   * Applies one batch of snapshot records (each the record as of cursor `at`) and notes how far the
   * snapshot got, in one transaction: an interrupted snapshot leaves whole batches and resumes after
   * the last one. Indexes are deferred as for a bulk page; the cursor moves only in `finishSnapshot`.
   */
  applySnapshot(records: SnapshotRecord[], progress: { at: number; done: number }, afterApply?: (ticketIds: Set<string>) => void): Set<string> {
    const touched = new Set<string>();
    this.transaction(() => {
      if (!this.indexDeferred) this.deferIndexes();
      for (const r of records) this.applyChange({ seq: r.seq, entity: r.entity, id: r.id, op: 'upsert', data: r.data, at: 0 }, (id) => touched.add(id));
      if (records.length) this.setMeta('snapshot.partial', JSON.stringify({ ...progress, after: records[records.length - 1]!.seq } satisfies SnapshotProgress));
      afterApply?.(touched);
    });
    return touched;
  }

  /** The whole snapshot is in: delta sync continues from its cursor. */
  finishSnapshot(cursor: number): void {
    this.transaction(() => {
      this.setMeta('sync.cursor', String(cursor));
      this.setMeta('sync.lastSyncedAt', String(Date.now()));
      this.sql.exec("DELETE FROM meta WHERE key = 'snapshot.partial'");
    });
  }

  applyChange(change: SyncChange, onTicket?: (id: string) => void): void {
    const del = change.op === 'delete' || change.data == null;
    const data = change.data;
    switch (change.entity) {
      case 'ticket':
        if (del) this.tickets.remove(change.id);
        else this.tickets.upsertRow(ticketRowFromServer(data));
        onTicket?.(change.id);
        return;
      case 'comment': {
        if (del) return this.tickets.removeComment(change.id);
        // A comment can change on its own (its email's delivery state): its ticket's viewers refresh.
        const row = commentRowFromServer(data);
        this.tickets.upsertComment(row);
        onTicket?.(row.ticket_id);
        return;
      }
      case 'ticket_event':
        if (del) this.tickets.removeEvent(change.id);
        else this.tickets.putEvent(data);
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
          this.sql.stmt('INSERT OR REPLACE INTO incidents (id, state, updated_at, data) VALUES (?, ?, ?, ?)').run(i.id, i.state, i.updatedAt, JSON.stringify(i));
        }
        return;
      case 'runbook':
        if (del) return this.deleteById('runbooks', change.id);
        {
          const r = parseRunbook(data);
          this.sql.stmt('INSERT OR REPLACE INTO runbooks (id, data) VALUES (?, ?)').run(r.id, JSON.stringify(r));
        }
        return;
      case 'job':
        if (del) return this.deleteById('jobs', change.id);
        {
          const j = parseJob(data);
          this.sql.stmt('INSERT OR REPLACE INTO jobs (id, status, created_at, data) VALUES (?, ?, ?, ?)').run(j.id, j.status, j.createdAt, JSON.stringify(j));
        }
        return;
      case 'saved_view':
        if (del) return this.deleteById('saved_views', change.id);
        {
          this.saveView(savedViewFromServer(data), 'server');
        }
        return;
      default:
        // backups, maintenance windows: read online, not cached.
        return;
    }
  }

  private deleteById(table: string, id: string): void {
    this.sql.stmt(`DELETE FROM ${table} WHERE id = ?`).run(id);
  }

  upsertQueue(q: Queue): void {
    this.sql.stmt('INSERT OR REPLACE INTO queues (id, name, data) VALUES (?, ?, ?)').run(q.id, q.name, JSON.stringify(q));
  }
  upsertUser(u: UserRef): void {
    this.sql.stmt('INSERT OR REPLACE INTO users (id, name, email, data) VALUES (?, ?, ?, ?)').run(u.id, u.name, u.email, JSON.stringify(u));
  }
  upsertAlert(a: Alert, pending = false): void {
    this.sql
      .stmt('INSERT OR REPLACE INTO alerts (id, status, severity, last_seen_at, data, pending) VALUES (?, ?, ?, ?, ?, ?)')
      .run(a.id, a.status, a.severity, a.lastSeenAt, JSON.stringify({ ...a, pending }), pending ? 1 : 0);
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
    for (const r of this.sql.stmt("SELECT severity, count(*) AS n FROM alerts WHERE status = 'firing' GROUP BY severity").all() as { severity: string; n: number }[]) counts[r.severity] = r.n;
    return counts;
  }
  unackedAlertCount(): number {
    return (this.sql.stmt("SELECT count(*) AS n FROM alerts WHERE status = 'firing'").get() as { n: number }).n;
  }
  putSilence(s: Silence): void {
    this.sql.stmt('INSERT OR REPLACE INTO silences (id, ends_at, data) VALUES (?, ?, ?)').run(s.id, s.endsAt, JSON.stringify(s));
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
  /** Saved views (the server's and those waiting in the outbox), with who owns each. */
  savedViews(): (SavedView & { ownerId: string | null })[] {
    const rows = this.sql.stmt("SELECT data, origin FROM saved_views WHERE origin != 'legacy' ORDER BY name").all() as { data: string; origin: string }[];
    return rows.map((r) => ({ ...(JSON.parse(r.data) as SavedView & { ownerId: string | null }), pending: r.origin === 'local' }));
  }
  savedView(id: string): (SavedView & { ownerId: string | null; origin: string }) | null {
    const r = this.sql.stmt('SELECT data, origin FROM saved_views WHERE id = ?').get(id) as { data: string; origin: string } | undefined;
    return r ? { ...(JSON.parse(r.data) as SavedView & { ownerId: string | null }), origin: r.origin } : null;
  }
  /** `local`: written here, waiting in the outbox; `server`: as the server has it. */
  saveView(v: SavedView & { ownerId: string | null }, origin: 'local' | 'server' = 'local'): void {
    this.sql.stmt('INSERT OR REPLACE INTO saved_views (id, name, data, origin) VALUES (?, ?, ?, ?)').run(v.id, v.name, JSON.stringify(v), origin);
  }
  /** Views saved before they lived on the server (cache migration 9), to upload once. */
  legacyViews(): SavedView[] {
    return this.jsonRows<SavedView>("SELECT data FROM saved_views WHERE origin = 'legacy' ORDER BY name");
  }
  removeView(id: string): void {
    this.deleteById('saved_views', id);
  }
  private jsonRows<T>(sql: string, ...args: unknown[]): T[] {
    return (this.sql.stmt(sql).all(...args) as { data: string }[]).map((r) => JSON.parse(r.data) as T);
  }

  /**
   * Who the cache syncs for. Another user, or the same user with another role (what a role sees
   * differs, and the feed never replays older records to a wider view), drops everything synced
   * and starts over from cursor 0; the outbox stays (items carry their author). True when cleared.
   */
  adoptViewer(user: { id: string; role: string }): boolean {
    const was = { id: this.getMeta('sync.userId'), role: this.getMeta('sync.role') };
    if (was.id === user.id && was.role === user.role) return false;
    const clear = was.id !== null && (was.id !== user.id || was.role !== user.role);
    this.transaction(() => {
      if (clear) this.clearSynced();
      this.setMeta('sync.userId', user.id);
      this.setMeta('sync.role', user.role);
    });
    return clear;
  }

  /**
   * Whether anything server-side is cached (rows the outbox's answers wrote count too). A snapshot
   * only fills a cache holding none: it brings what exists, never the deletes of what is cached.
   */
  holdsSyncedRecords(): boolean {
    const any = (t: string, where = '') => this.sql.stmt(`SELECT EXISTS (SELECT 1 FROM ${t} ${where}) AS x`).get() as { x: number };
    return SYNCED_TABLES.some((t) => any(t).x === 1) || any('saved_views', "WHERE origin = 'server'").x === 1;
  }

  /** Everything synced is dropped (the outbox stays): used when the server's feed was reset. */
  clearSynced(): void {
    this.transaction(() => {
      for (const t of SYNCED_TABLES) this.sql.exec(`DELETE FROM ${t}`);
      this.sql.exec("DELETE FROM saved_views WHERE origin = 'server'; DELETE FROM meta WHERE key = 'snapshot.partial'");
      this.setMeta('sync.cursor', '0');
    });
  }
}

/** The tables the change feed fills (saved views also hold local ones, apart by origin). */
const SYNCED_TABLES = ['tickets', 'comments', 'ticket_events', 'queues', 'users', 'alerts', 'silences', 'incidents', 'runbooks', 'jobs'];

function isCorruption(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT') || /malformed|not a database/i.test((err as Error).message ?? '');
}

/** Reads whatever outbox rows a corrupt file still yields, so offline work survives a rebuild. */
function salvageOutbox(file: string, logger: Logger): OutboxRow[] {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return db.prepare("SELECT * FROM outbox WHERE state != 'done' ORDER BY id").all() as OutboxRow[];
    } finally {
      db.close();
    }
  } catch (err) {
    logger.warn('cache: no outbox rows could be read from the corrupt file', { file, error: (err as Error).message });
    return [];
  }
}
