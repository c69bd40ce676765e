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
 * cache, and a loop answering `{ id, sql, params }` with the rows or the error. Plain JavaScript
 * evaluated as a worker (no build step, nothing a bundler or test runner has to transform).
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
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
// A page cache of its own larger than SQLite's 2 MB default (an FTS query walks many index pages).
db.pragma('cache_size = -' + workerData.cacheKiB);
const cache = new Map();
parentPort.on('message', ({ id, sql, params }) => {
  try {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      if (cache.size >= 500) cache.delete(cache.keys().next().value);
      cache.set(sql, stmt);
    }
    if (!stmt.reader) throw new Error('A reader connection only runs queries that return rows');
    parentPort.postMessage({ id, rows: stmt.all(params) });
  } catch (err) {
    parentPort.postMessage({ id, error: { message: err.message, code: err.code } });
  }
});
`;

/** The readers' nice value (the event loop keeps 0) and the page cache of each connection. */
const READER_NICE = 10;
const READER_CACHE_KIB = 32 * 1024;

const MAX_CRASHES_PER_MINUTE = 5;

interface Reply {
  id: number;
  rows?: unknown[];
  error?: { message: string; code?: string };
}

interface Query {
  id: number;
  sql: string;
  params: readonly unknown[];
  resolve(rows: unknown[]): void;
  reject(err: Error): void;
}

interface Reader {
  worker: Worker;
  /** The query this reader runs, if any: a reader holds one at a time. */
  running: Query | null;
}

/**
 * Reader connections in worker threads for a SQLite database in WAL mode: readers run beside the
 * one writer (and beside each other), so a slow listing or search never stalls the event loop that
 * serves sockets, webhooks and escalation. Queries wait in one FIFO and each reader takes the next
 * when it finishes its own, so a query never queues behind a slow one while another reader is free
 * (a per-reader queue, even one by fewest in flight, puts a search behind whatever its reader drew).
 * Writes never come here: the statements are opened read-only.
 */
export class SqliteReaderPool {
  private readonly readers: Reader[] = [];
  private readonly waiting: Query[] = [];
  private nextId = 1;
  private closed = false;
  /** Set when readers keep dying (a broken install, an unreadable file): queries fail with it instead of respawning forever. */
  private broken: Error | null = null;
  private recentCrashes: number[] = [];

  constructor(file: string, size: number) {
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    for (let i = 0; i < size; i++) this.readers.push(this.spawn(file, module));
  }

  private spawn(file: string, module: string): Reader {
    const worker = new Worker(READER_SOURCE, { eval: true, workerData: { file, module, nice: READER_NICE, cacheKiB: READER_CACHE_KIB } });
    const reader: Reader = { worker, running: null };
    worker.on('message', (reply: Reply) => {
      const done = reader.running;
      if (!done || done.id !== reply.id) return;
      reader.running = null;
      this.next(reader);
      if (reply.error) done.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
      else done.resolve(reply.rows ?? []);
    });
    // A reader that dies fails the query it ran; the pool replaces it, and the replacement takes
    // the queue on. Once the pool is broken the queue fails with the reason.
    const fail = (err: Error) => {
      const lost = reader.running;
      reader.running = null;
      lost?.reject(err);
      const i = this.readers.indexOf(reader);
      if (i < 0 || this.closed || this.broken) return;
      const now = Date.now();
      this.recentCrashes = [...this.recentCrashes.filter((t) => now - t < 60_000), now];
      if (this.recentCrashes.length > MAX_CRASHES_PER_MINUTE) {
        this.broken = new Error(`SQLite reader threads keep failing: ${err.message}`);
        for (const q of this.waiting.splice(0)) q.reject(this.broken);
      } else {
        this.readers[i] = this.spawn(file, module);
        this.next(this.readers[i]!);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`SQLite reader thread exited (${code})`)));
    // Idle readers must not keep the process alive; one with a query in flight must (a CLI command
    // awaiting a read would otherwise exit 0 with the query unanswered).
    worker.unref();
    return reader;
  }

  get size(): number {
    return this.readers.length;
  }

  query(sql: string, params: readonly unknown[]): Promise<unknown[]> {
    if (this.closed) return Promise.reject(new Error('The database is closed'));
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      const query: Query = { id: this.nextId++, sql, params, resolve, reject };
      const idle = this.readers.find((r) => !r.running);
      if (idle) this.run(idle, query);
      else this.waiting.push(query);
    });
  }

  /** Queries waiting for a reader (none while one is idle). */
  get queued(): number {
    return this.waiting.length;
  }

  private run(reader: Reader, query: Query): void {
    if (!reader.running) reader.worker.ref();
    reader.running = query;
    reader.worker.postMessage({ id: query.id, sql: query.sql, params: query.params });
  }

  /** A reader that finished takes the oldest waiting query, or goes idle (not keeping the process alive). */
  private next(reader: Reader): void {
    const query = this.waiting.shift();
    if (query) this.run(reader, query);
    else reader.worker.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const q of this.waiting.splice(0)) q.reject(new Error('The database is closed'));
    await Promise.all(
      this.readers.map((r) => {
        r.worker.ref();
        return r.worker.terminate();
      }),
    );
  }
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

/** A Kysely instance whose queries run on the reader threads (the same query builder as the writer). */
export function readerKysely(file: string, size: number, log?: LogConfig): Kysely<Database> {
  return new Kysely<Database>({ dialect: new ReaderDialect(new SqliteReaderPool(file, size)), log });
}
