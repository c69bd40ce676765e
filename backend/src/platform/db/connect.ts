import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteAdapter, SqliteDialect, SqliteDriver, sql, type DatabaseConnection, type DialectAdapter, type Driver, type LogEvent } from 'kysely';
import pg from 'pg';
import type { DialectName } from './dialect';
import type { Database } from './schema';
import { startCheckpointer } from './sqlite-checkpointer';
import { readerKysely, SqliteReaderPool, type JsonPages } from './sqlite-readers';

// BIGINT columns hold epoch-ms timestamps and sequences, all well inside 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** SQLite does support transactional DDL; Kysely's adapter is conservative. Migrations rely on it. */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
/**
 * Transactions take the write lock up front (BEGIN IMMEDIATE). Another process on the same file
 * (the job workers) then makes a writer wait out busy_timeout instead of failing with SQLITE_BUSY
 * when a deferred transaction tries to upgrade its read to a write.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
class OpsSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(settings);
  }
  override createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter();
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.settings);
  }
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query afresh; better-sqlite3 statements are reusable, and preparing is a
 * large share of a small query's cost. Kysely runs one query at a time on the connection, so a
 * cached statement is never in use twice at once.
 */
function withStatementCache(sqlite: SqliteDatabase.Database) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(query: string) {
      let stmt = cache.get(query);
      if (stmt) {
        cache.delete(query);
      } else {
        stmt = sqlite.prepare(query);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(query, stmt);
      return stmt;
    },
  };
}

export interface DatabaseHandle {
  /** The writer (and every transaction). */
  db: Kysely<Database>;
  /**
   * For heavy reads outside a transaction (listings, search, sync pages, reports): SQLite reader
   * threads when the database is a file with readers configured; otherwise the writer itself (the
   * PostgreSQL pool already runs queries beside each other). Sees every committed write.
   */
  reader: Kysely<Database>;
  /** Listing pages as JSON text from the reader threads (SQLite with readers; otherwise undefined). */
  jsonPages?: JsonPages;
  dialect: DialectName;
  /** Where the SQLite file lives (undefined on PostgreSQL). */
  sqliteFile?: string;
  /** The raw better-sqlite3 handle, for online backup and benchmarks. */
  sqlite?: SqliteDatabase.Database;
  /** The raw pg pool, for connection counts. */
  pool?: pg.Pool;
  close(): Promise<void>;
}

export interface ConnectOptions {
  poolSize?: number;
  /** SQLite reader threads (0 or absent: reads run on the writer). */
  sqliteReaders?: number;
  /** Identical pages waiting for a reader thread share one run (default true; see SqliteReaderPool.page). */
  sqliteSharePages?: boolean;
  onQuery?: (durationMs: number, failed: boolean) => void;
  /** A pooled PostgreSQL connection that broke (database stopped or restarted), or the SQLite checkpoint thread failed. */
  onConnectionError?: (err: Error) => void;
  /** SQLite file: WAL checkpoints in a worker thread instead of inside the commits (sqlite-checkpointer.ts). */
  walCheckpointer?: boolean;
}

export function sqliteFileFromUrl(url: string): string | undefined {
  if (url.startsWith('sqlite:')) return url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  if (url.startsWith('file:')) return url.slice('file:'.length);
  return undefined;
}

export function openDatabase(url: string, options: ConnectOptions = {}): DatabaseHandle {
  const log = options.onQuery
    ? (event: LogEvent) => options.onQuery!(event.queryDurationMillis, event.level === 'error')
    : undefined;
  const file = sqliteFileFromUrl(url);
  if (file !== undefined) {
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const sqlite = new SqliteDatabase(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    const db = new Kysely<Database>({ dialect: new OpsSqliteDialect({ database: withStatementCache(sqlite) }), log });
    const readers = file === ':memory:' ? 0 : (options.sqliteReaders ?? 0);
    const pool = readers > 0 ? new SqliteReaderPool(file, readers, { sharePages: options.sqliteSharePages ?? true }) : null;
    const reader = pool ? readerKysely(pool, log) : db;
    const jsonPages = pool ? timedPages(pool, options.onQuery) : undefined;
    const checkpointer = file !== ':memory:' && options.walCheckpointer ? startCheckpointer(sqlite, file, options.onConnectionError ?? (() => undefined)) : null;
    const close = async () => {
      await checkpointer?.stop();
      if (reader !== db) await reader.destroy();
      await db.destroy();
    };
    return { db, reader, jsonPages, dialect: 'sqlite', sqliteFile: file, sqlite, close };
  }
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, connectionTimeoutMillis: 5000 });
  // A client losing its connection (database stopped or restarted) must not crash the process:
  // the query in flight fails with the error and the health check reports the database down.
  const onError = options.onConnectionError ?? (() => undefined);
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
  return { db, reader: db, dialect: 'postgres', pool, close: () => db.destroy() };
}

/** Page queries counted in the query metrics like the Kysely ones (which `log` observes). */
function timedPages(pool: SqliteReaderPool, onQuery: ConnectOptions['onQuery']): JsonPages {
  const timed = async <T>(asked: Promise<T>): Promise<T> => {
    const started = performance.now();
    let failed = false;
    try {
      return await asked;
    } catch (err) {
      failed = true;
      throw err;
    } finally {
      onQuery?.(performance.now() - started, failed);
    }
  };
  return {
    page: (sqlText, params, shape) => timed(pool.page(sqlText, params, shape)),
    sharedPage: (share, shape, compile) => timed(pool.sharedPage(share, shape, compile)),
  };
}

export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
