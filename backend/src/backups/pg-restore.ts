import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DatabaseHandle } from '../platform/db/connect';
import { migrateUpTo } from '../platform/db/migrate';
import type { Database } from '../platform/db/schema';
import { childEnv } from '../jobs/child-process';
import { pgTool } from './pg-engine';
import { PRESERVED_TABLES } from './sqlite-engine';

/** Where a restore builds the new tables, and where the replaced ones wait for the drop; both inside the transaction or before it. */
export const STAGE_SCHEMA = 'opsdesk_restore';
const REPLACED_SCHEMA = 'opsdesk_replaced';
const IDENT = /^[a-z_][a-z0-9_]*$/;

type Log = (line: string) => void;

async function tablesOf(db: Kysely<Database>, schema: string): Promise<string[]> {
  const r = await sql<{ t: string }>`select table_name as t from information_schema.tables where table_schema = ${schema} and table_type = 'BASE TABLE' order by table_name`.execute(db);
  return r.rows.map((x) => x.t);
}

async function columnsOf(db: Kysely<Database>, schema: string, table: string): Promise<Set<string>> {
  const r = await sql<{ c: string }>`select column_name as c from information_schema.columns where table_schema = ${schema} and table_name = ${table}`.execute(db);
  return new Set(r.rows.map((x) => x.c));
}

/**
 * PostgreSQL restore that never leaves the live data half replaced: the backup's rows are copied
 * (COPY data only, never the archive's SQL) into tables OpsDesk's own migrations build in a stage
 * schema; the row counts are checked there; then one transaction moves the live tables aside, the
 * staged ones into `public`, and drops the old. A kill before that commit leaves the old data.
 */
export async function pgRestoreStaged(handle: DatabaseHandle, url: string, file: string, schemaVersion: string | null, expected: Record<string, number>, log: Log): Promise<void> {
  await pgStage(handle, url, file, schemaVersion, expected, log, (tables) => swap(handle.db, tables));
}

/**
 * Builds and verifies the stage, then hands its tables to `use` (the swap, or nothing for a test
 * restoration); the stage schema is dropped in every case.
 */
export async function pgStage(handle: DatabaseHandle, url: string, file: string, schemaVersion: string | null, expected: Record<string, number>, log: Log, use: (tables: string[]) => Promise<void>): Promise<void> {
  const db = handle.db;
  await sql`drop schema if exists ${sql.id(STAGE_SCHEMA)} cascade`.execute(db);
  await sql`create schema ${sql.id(STAGE_SCHEMA)}`.execute(db);
  const pool = new pg.Pool({ connectionString: url, max: 2, options: `-c search_path=${STAGE_SCHEMA}` });
  const stage = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    const applied = await migrateUpTo({ db: stage, dialect: 'postgres' }, schemaVersion, STAGE_SCHEMA);
    log(`stage schema built by ${applied.length} OpsDesk migration(s) up to ${schemaVersion ?? 'the latest'}`);
    const staged = await referencedFirst(db, (await tablesOf(db, STAGE_SCHEMA)).filter((t) => !PRESERVED_TABLES.includes(t) && !t.startsWith('schema_migrations')));
    // Migrations seed some rows (counters); the backup's rows replace them (children first).
    for (const t of [...staged].reverse()) await sql`delete from ${sql.table(`${STAGE_SCHEMA}.${t}`)}`.execute(db);
    const client = await pool.connect();
    try {
      // schema_migrations stays as the migrations that built the stage wrote it.
      for (const t of staged) {
        const n = await copyTable(client, file, t, await columnsOf(db, STAGE_SCHEMA, t));
        log(`  ${t}: ${n} row(s) copied`);
      }
    } finally {
      client.release();
    }
    await resetSequences(db, staged);
    const problems: string[] = [];
    for (const [t, n] of Object.entries(expected)) {
      if (PRESERVED_TABLES.includes(t) || t.startsWith('schema_migrations')) continue;
      if (!staged.includes(t)) problems.push(`${t}: not a table of this schema version`);
      else {
        const got = Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(`${STAGE_SCHEMA}.${t}`)}`.execute(db)).rows[0]!.n);
        if (got !== n) problems.push(`${t}: ${got} rows staged, backup had ${n}`);
      }
    }
    if (problems.length) throw new Error(`the staged copy fails verification: ${problems.slice(0, 5).join('; ')}`);
    log(`staged copy verified: ${staged.length} tables, row counts equal the manifest`);
    await use([...staged, 'schema_migrations']);
  } finally {
    await stage.destroy();
    await sql`drop schema if exists ${sql.id(STAGE_SCHEMA)} cascade`.execute(db);
  }
}

/** Tables ordered so that a table comes after every table its foreign keys reference. */
async function referencedFirst(db: Kysely<Database>, tables: string[]): Promise<string[]> {
  const fks = await sql<{ child: string; parent: string }>`
    select c.relname as child, p.relname as parent from pg_constraint k
    join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
    join pg_namespace n on n.oid = k.connamespace
    where k.contype = 'f' and n.nspname = ${STAGE_SCHEMA}`.execute(db);
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (t: string, path: Set<string>) => {
    if (seen.has(t) || path.has(t)) return;
    path.add(t);
    for (const f of fks.rows) if (f.child === t && f.parent !== t && tables.includes(f.parent)) visit(f.parent, path);
    seen.add(t);
    out.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return out;
}

/** Streams one table's COPY data out of the archive (pg_restore --data-only to stdout) into the staged table. */
async function copyTable(client: pg.PoolClient, file: string, table: string, allowed: Set<string>): Promise<number> {
  const child = spawn(pgTool('pg_restore'), ['--data-only', '-n', 'public', '-t', table, '-f', '-', file], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv() });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'close') as Promise<[number | null]>;
  let copy: ReturnType<typeof copyFrom> | null = null;
  let rows = 0;
  let ended = false;
  try {
    for await (const line of createInterface({ input: child.stdout, crlfDelay: Infinity })) {
      if (!copy) {
        const m = /^COPY public\.(\S+) \((.*)\) FROM stdin;$/.exec(line);
        if (!m) continue;
        // Reserved words come quoted ("position"); every name must be a plain column of OpsDesk's table.
        const cols = m[2]!.split(', ').map((c) => c.replace(/^"(.*)"$/, '$1'));
        if (m[1] !== table || cols.some((c) => !IDENT.test(c) || !allowed.has(c))) throw new Error(`archive data for ${table} does not match OpsDesk's schema (${m[1]}: ${m[2]})`);
        copy = client.query(copyFrom(`COPY ${STAGE_SCHEMA}.${table} (${cols.map((c) => `"${c}"`).join(', ')}) FROM STDIN`));
        continue;
      }
      if (line === '\\.') {
        ended = true;
        break;
      }
      rows++;
      if (!copy.write(`${line}\n`)) await once(copy, 'drain');
    }
    if (copy) {
      if (!ended) throw new Error(`archive data for ${table} ends early`);
      copy.end();
      await once(copy, 'finish');
    }
  } catch (e) {
    child.kill('SIGKILL');
    copy?.destroy(e as Error);
    throw e;
  }
  const [code] = await exited;
  if (code !== 0) throw new Error(`pg_restore --data-only of ${table} failed: ${stderr.trim().split('\n').slice(-2).join(' ')}`);
  return rows;
}

/** Identity and serial columns continue after the copied rows. */
async function resetSequences(db: Kysely<Database>, tables: string[]): Promise<void> {
  for (const t of tables) {
    const cols = await sql<{ c: string; s: string }>`select column_name as c, pg_get_serial_sequence(${`${STAGE_SCHEMA}.${t}`}, column_name) as s from information_schema.columns where table_schema = ${STAGE_SCHEMA} and table_name = ${t}`.execute(db);
    for (const { c, s } of cols.rows) {
      if (!s) continue;
      await sql`select setval(${s}, coalesce((select max(${sql.ref(c)}) from ${sql.table(`${STAGE_SCHEMA}.${t}`)}), 0) + 1, false)`.execute(db);
    }
  }
}

async function swap(db: Kysely<Database>, tables: string[]): Promise<void> {
  // One transaction: a kill before its commit leaves every live table as it was.
  await db.transaction().execute(async (trx) => {
    await sql`create schema ${sql.id(REPLACED_SCHEMA)}`.execute(trx);
    const live = new Set(await tablesOf(trx, 'public'));
    // Live tables newer than the backup go too (the migrations after the restore build them again).
    const aside = [...live].filter((t) => !PRESERVED_TABLES.includes(t));
    for (const t of aside) await sql`alter table ${sql.table(`public.${t}`)} set schema ${sql.id(REPLACED_SCHEMA)}`.execute(trx);
    for (const t of tables) await sql`alter table ${sql.table(`${STAGE_SCHEMA}.${t}`)} set schema public`.execute(trx);
    await sql`drop schema ${sql.id(REPLACED_SCHEMA)} cascade`.execute(trx);
  });
}
