import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import {
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type LogConfig,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';
import type { Database } from './schema';

/**
 * The reader thread: one read-only better-sqlite3 connection on the WAL database, a statement
 * cache, and a loop over every query the pool posts: it claims one in the shared claim table
 * (compare-and-swap: exactly one reader wins it), runs it and answers `{ id, rows | page | error }`; one
 * another reader claimed first is skipped. Plain JavaScript evaluated as a worker (no build step,
 * nothing a bundler or test runner has to transform).
 */
const READER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { readlinkSync } = require('node:fs');
const os = require('node:os');
const Database = require(workerData.module);
// Below the event loop's priority (Linux: a thread's own nice value): with every core busy, the
// main thread still answers light requests (a GET /me, an alert list) and sockets at once, and
// the readers take the CPU it leaves.
if (process.platform === 'linux') os.setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), workerData.nice);
const claims = new Int32Array(workerData.claims);
const running = new Int32Array(workerData.running);
const slot = workerData.slot;
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
// A page cache of its own larger than SQLite's 2 MB default (an FTS query walks many index pages).
db.pragma('cache_size = -' + workerData.cacheKiB);
const cache = new Map();
// A page's JSON column joined here into one JSON array text, so the rows never cross to the event
// loop's heap as objects: one string comes back, with the other columns of the page's last row.
function jsonPage(rows, { column, limit }) {
  const n = Math.min(rows.length, limit);
  const parts = new Array(n);
  for (let i = 0; i < n; i++) parts[i] = rows[i][column];
  const json = '[' + parts.join(',') + ']';
  let last = null;
  if (n > 0) {
    last = { ...rows[n - 1] };
    delete last[column];
  }
  return { json, count: rows.length, last };
}
parentPort.on('message', ({ id, sql, params, page }) => {
  // Recorded before the claim, so a reader that dies holding a query is known by the pool.
  Atomics.store(running, slot, id);
  if (Atomics.compareExchange(claims, id % claims.length, id, -id) !== id) {
    Atomics.store(running, slot, 0);
    return;
  }
  let reply;
  try {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      if (cache.size >= 500) cache.delete(cache.keys().next().value);
      cache.set(sql, stmt);
    }
    if (!stmt.reader) throw new Error('A reader connection only runs queries that return rows');
    const rows = stmt.all(params);
    reply = page ? { id, page: jsonPage(rows, page) } : { id, rows };
  } catch (err) {
    reply = { id, error: { message: err.message, code: err.code } };
  }
  Atomics.store(running, slot, 0);
  parentPort.postMessage(reply);
});
`;

/**
 * The readers' nice value (the event loop keeps 0) and the page cache of each connection. At 10 the
 * readers got a tenth of the event loop's share, and listings at 50 connections queued on them (p99
 * 1.7-1.8x the bare server's); at 5 a third (1.2-1.6x), light requests during 50 searches still p99
 * 5-6 ms; at 0, 9 ms.
 */
const READER_NICE = 5;
const READER_CACHE_KIB = 32 * 1024;
/** Claim slots (query id modulo this); with every slot taken, queries wait on the main thread. */
const CLAIM_SLOTS = 1 << 16;

const MAX_CRASHES_PER_MINUTE = 5;

/** What a page query answers: its JSON column as one JSON array text. */
export interface JsonPage {
  /** `[row0.json,row1.json,…]` over the first `limit` rows. */
  json: string;
  /** Rows the query returned (a query asking for limit + 1 learns whether another page follows). */
  count: number;
  /** The other columns of the last row in `json` (a cursor's keys), or null for none. */
  last: Record<string, unknown> | null;
}

/** Ask a reader for a page: the column holding each row's JSON, and how many rows go into it. */
export interface PageShape {
  column: string;
  limit: number;
}

/** A page's query, compiled. */
export interface PageQuery {
  sql: string;
  parameters: readonly unknown[];
}

interface Reply {
  id: number;
  rows?: unknown[];
  page?: JsonPage;
  error?: { message: string; code?: string };
}

interface Waiter {
  resolve(result: unknown): void;
  reject(err: Error): void;
}

interface Query {
  id: number;
  sql: string;
  params: readonly unknown[];
  page?: PageShape;
  /** A page query's identity (shape, SQL, parameters): identical pages still waiting share one run. */
  key?: string;
  /** Everyone answered by this run: the caller that posted it, and identical pages that joined it before a reader claimed it. */
  waiters: Waiter[];
}

/**
 * Reader connections in worker threads for a SQLite database in WAL mode: readers run beside the
 * one writer (and beside each other), so a slow listing or search never stalls the event loop that
 * serves sockets, webhooks and escalation. Every query is posted to every reader and the first one
 * free claims it (a shared claim table), so the readers work one FIFO without a round trip through
 * the event loop between queries, and a query never queues behind a slow one while another reader
 * is free (a per-reader queue, even one by fewest in flight, puts a search behind whatever its
 * reader drew; handing each reader one query at a time costs an event-loop turn per query, which
 * took a third off the listing's throughput). Writes never come here: the statements are opened
 * read-only.
 */
export class SqliteReaderPool {
  private readonly readers: Worker[] = [];
  /** Posted and not answered, in the order posted. */
  private readonly inFlight = new Map<number, Query>();
  /** With every claim slot taken: waiting to be posted. */
  private readonly overflow: Query[] = [];
  /** Page queries by key, posted and possibly not yet claimed (see `page`). */
  private readonly pages = new Map<string, Query>();
  private readonly claims: Int32Array;
  private readonly running: Int32Array;
  /** Ids run 1…2^30; a query's claim slot is its id modulo the table's length. */
  private nextId = 0;
  private closed = false;
  /** Set when readers keep dying (a broken install, an unreadable file): queries fail with it instead of respawning forever. */
  private broken: Error | null = null;
  private recentCrashes: number[] = [];
  private readonly sharePages: boolean;

  constructor(
    private readonly file: string,
    size: number,
    { claimSlots = CLAIM_SLOTS, sharePages = true }: { claimSlots?: number; sharePages?: boolean } = {},
  ) {
    this.sharePages = sharePages;
    this.claims = new Int32Array(new SharedArrayBuffer(claimSlots * 4));
    this.running = new Int32Array(new SharedArrayBuffer(Math.max(size, 1) * 4));
    for (let i = 0; i < size; i++) this.readers.push(this.spawn(i));
  }

  private spawn(slot: number): Worker {
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(READER_SOURCE, {
      eval: true,
      workerData: { file: this.file, module, nice: READER_NICE, cacheKiB: READER_CACHE_KIB, claims: this.claims.buffer, running: this.running.buffer, slot },
    });
    worker.on('message', (reply: Reply) => {
      const done = this.inFlight.get(reply.id);
      if (!done) return;
      this.settled(done);
      Atomics.store(this.claims, this.slotOf(reply.id), 0);
      if (reply.error) {
        const err = reply.error;
        for (const w of done.waiters) w.reject(Object.assign(new Error(err.message), { code: err.code }));
      } else for (const w of done.waiters) w.resolve(reply.page ?? reply.rows ?? []);
      while (this.overflow.length && this.inFlight.size < this.claims.length) this.post(this.overflow.shift()!);
      if (this.inFlight.size === 0) for (const r of this.readers) r.unref();
    });
    // A reader that dies fails the query it held; the pool replaces it, and the replacement is
    // given every query no reader has claimed yet. Once the pool is broken, everything fails with the reason.
    const fail = (err: Error) => {
      if (this.readers[slot] !== worker) return;
      const held = Atomics.exchange(this.running, slot, 0);
      const lost = held > 0 && Atomics.load(this.claims, this.slotOf(held)) === -held ? this.inFlight.get(held) : undefined;
      if (lost) {
        this.settled(lost);
        Atomics.store(this.claims, this.slotOf(held), 0);
        for (const w of lost.waiters) w.reject(err);
      }
      if (this.closed || this.broken) return;
      const now = Date.now();
      this.recentCrashes = [...this.recentCrashes.filter((t) => now - t < 60_000), now];
      if (this.recentCrashes.length > MAX_CRASHES_PER_MINUTE) {
        this.broken = new Error(`SQLite reader threads keep failing: ${err.message}`);
        this.failAll(this.broken);
        return;
      }
      const next = (this.readers[slot] = this.spawn(slot));
      for (const q of this.inFlight.values()) if (Atomics.load(this.claims, this.slotOf(q.id)) === q.id) next.postMessage(message(q));
      if (this.inFlight.size > 0) next.ref();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`SQLite reader thread exited (${code})`)));
    // Idle readers must not keep the process alive; with a query in flight they must (a CLI command
    // awaiting a read would otherwise exit 0 with the query unanswered).
    worker.unref();
    return worker;
  }

  get size(): number {
    return this.readers.length;
  }

  query(sql: string, params: readonly unknown[]): Promise<unknown[]> {
    return this.submit(sql, params) as Promise<unknown[]>;
  }

  /**
   * A listing page as JSON text: the reader joins the rows' `shape.column` into one JSON array, so
   * the rows never become objects and strings on the event loop's heap (one string instead of a
   * hundred per page in flight; at 50 connections the listing served 8 % more and its main-thread
   * time fell from 0.30 to 0.26 ms). Transferring the page as bytes instead took the heap off the
   * scale but made V8 count each page as external memory: a full collection every 0.6 s.
   */
  page(sql: string, params: readonly unknown[], shape: PageShape): Promise<JsonPage> {
    return this.submit(sql, params, shape) as Promise<JsonPage>;
  }

  /**
   * A page that identical ones may share. `share` names every input its query is made from except
   * the clock (the caller's identity and visibility among them, and what kind of page it is), so
   * equal keys mean the same query. When a page with this key is already waiting for a reader, this
   * caller joins it without building anything (`compile` is not called) and both get its one
   * answer. That run has not started, so it reads a snapshot taken after both asked: a write
   * committed before either asked is in it. Its clock is the first asker's, earlier by at most the
   * time it waited (an SLA state turning in that window shows on the next read). Only a queue builds
   * this up: with a reader free every page runs at once. The answer is a string and two plain
   * values, so sharing it shares nothing one caller could change for another. `compile` answering
   * null (nothing to ask) answers null.
   */
  sharedPage(share: string, shape: PageShape, compile: () => PageQuery | null): Promise<JsonPage | null> {
    const key = `${shape.column}\0${shape.limit}\0${share}`;
    const waiting = this.sharePages && !this.closed && !this.broken ? this.pages.get(key) : undefined;
    if (waiting && this.unclaimed(waiting)) return new Promise((resolve, reject) => waiting.waiters.push({ resolve: resolve as Waiter['resolve'], reject }));
    const query = compile();
    if (!query) return Promise.resolve(null);
    return this.submit(query.sql, query.parameters, shape, this.sharePages ? key : undefined) as Promise<JsonPage>;
  }

  /** Not yet taken by a reader: still on the main thread (overflow) or its claim slot still holds its id. */
  private unclaimed(query: Query): boolean {
    return query.id === 0 || Atomics.load(this.claims, this.slotOf(query.id)) === query.id;
  }

  private submit(sql: string, params: readonly unknown[], page?: PageShape, key?: string): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('The database is closed'));
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      const query: Query = { id: 0, sql, params, page, key, waiters: [{ resolve, reject }] };
      if (key) this.pages.set(key, query);
      if (this.inFlight.size >= this.claims.length || this.overflow.length) this.overflow.push(query);
      else this.post(query);
    });
  }

  /** The query is answered (or failed): no longer in flight, and no longer joinable. */
  private settled(query: Query): void {
    this.inFlight.delete(query.id);
    if (query.key && this.pages.get(query.key) === query) this.pages.delete(query.key);
  }

  /**
   * Gives the query the next id whose claim slot is free: a query still running from a lap ago
   * keeps its slot (overwritten, its answer would free the slot under a later query that no reader
   * could then claim). Called only with a free slot somewhere (fewer in flight than slots).
   */
  private post(query: Query): void {
    if (this.inFlight.size === 0) for (const r of this.readers) r.ref();
    do this.nextId = this.nextId >= 1 << 30 ? 1 : this.nextId + 1;
    while (Atomics.load(this.claims, this.slotOf(this.nextId)) !== 0);
    query.id = this.nextId;
    this.inFlight.set(query.id, query);
    Atomics.store(this.claims, this.slotOf(query.id), query.id);
    const posted = message(query);
    for (const r of this.readers) r.postMessage(posted);
  }

  private slotOf(id: number): number {
    return id % this.claims.length;
  }

  private failAll(err: Error): void {
    for (const q of [...this.inFlight.values(), ...this.overflow.splice(0)]) for (const w of q.waiters) w.reject(err);
    this.inFlight.clear();
    this.pages.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.failAll(new Error('The database is closed'));
    await Promise.all(
      this.readers.map((r) => {
        r.ref();
        return r.terminate();
      }),
    );
  }
}

function message(q: Query) {
  return { id: q.id, sql: q.sql, params: q.params, page: q.page };
}

class ReaderConnection implements DatabaseConnection {
  constructor(private readonly pool: SqliteReaderPool) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    return { rows: (await this.pool.query(compiled.sql, compiled.parameters)) as R[] };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Reader connections do not stream; page the query instead');
  }
}

class ReaderDriver implements Driver {
  private readonly connection: ReaderConnection;

  constructor(private readonly pool: SqliteReaderPool) {
    this.connection = new ReaderConnection(pool);
  }

  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }
  async beginTransaction(): Promise<void> {
    throw new Error('Reader connections do not run transactions: use the writer');
  }
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {
    await this.pool.close();
  }
}

class ReaderDialect implements Dialect {
  constructor(private readonly pool: SqliteReaderPool) {}
  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }
  createDriver(): Driver {
    return new ReaderDriver(this.pool);
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
}

/** A Kysely instance whose queries run on the pool's reader threads (the same query builder as the writer). */
export function readerKysely(pool: SqliteReaderPool, log?: LogConfig): Kysely<Database> {
  return new Kysely<Database>({ dialect: new ReaderDialect(pool), log });
}

/** Listing pages answered as JSON text by the reader threads (SQLite with readers only). */
export type JsonPages = Pick<SqliteReaderPool, 'page' | 'sharedPage'>;
