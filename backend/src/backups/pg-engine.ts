import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../platform/db/connect';
import { childEnv } from '../jobs/child-process';
import { pgCredentials } from './pg-credentials';

const exec = promisify(execFile);

/** pg_dump / pg_restore from Debian's postgresql-client (newest installed major first), else PATH. */
export function pgTool(name: 'pg_dump' | 'pg_restore'): string {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const majors = readdirSync(base).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a));
    for (const m of majors) {
      const p = path.join(base, m, 'bin', name);
      if (existsSync(p)) return p;
    }
  }
  return name;
}

/** Runs a client tool; with `url`, `--dbname` carries it without the password (a PGPASSFILE holds that). */
async function tool(name: 'pg_dump' | 'pg_restore', args: string[], url?: string): Promise<string> {
  const creds = url ? pgCredentials(url) : null;
  try {
    const argv = creds ? [`--dbname=${creds.dbname}`, ...args] : args;
    const { stdout } = await exec(pgTool(name), argv, { maxBuffer: 64 * 1024 * 1024, env: childEnv({ ...pgEnv(), ...(creds?.env ?? {}) }) });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${name} failed: ${(err.stderr || err.message).trim().split('\n').slice(-3).join(' ')}`, { cause: e });
  } finally {
    creds?.cleanup();
  }
}

/** libpq's own settings of this process (PGSSLMODE, PGHOST…) still apply; nothing else is inherited. */
function pgEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith('PG') && e[0] !== 'PGPASSWORD' && e[1] !== undefined));
}

export async function pgRowCounts(db: DatabaseHandle['db']): Promise<Record<string, number>> {
  const tables = await sql<{ t: string }>`select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const out: Record<string, number> = {};
  for (const { t } of tables.rows) {
    const r = await sql<{ n: string }>`select count(*) as n from ${sql.table(t)}`.execute(db);
    out[t] = Number(r.rows[0]!.n);
  }
  return out;
}

/**
 * pg_dump -Fc of an exported snapshot; the row counts in the manifest are taken in that same
 * snapshot, so they match the dump exactly.
 */
export async function pgDump(handle: DatabaseHandle, url: string, dest: string): Promise<{ rowCounts: Record<string, number>; schemaVersion: string | null }> {
  const client = await handle.pool!.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snap = (await client.query<{ s: string }>('select pg_export_snapshot() as s')).rows[0]!.s;
    const tables = (await client.query<{ t: string }>(`select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`)).rows;
    const rowCounts: Record<string, number> = {};
    for (const { t } of tables) rowCounts[t] = Number((await client.query<{ n: string }>(`select count(*) as n from "${t.replace(/"/g, '""')}"`)).rows[0]!.n);
    const schemaVersion = tables.some((t) => t.t === 'schema_migrations')
      ? ((await client.query<{ v: string | null }>('select max(name) as v from schema_migrations')).rows[0]!.v ?? null)
      : null;
    await tool('pg_dump', ['-Fc', '--no-owner', '--no-privileges', `--snapshot=${snap}`, '-f', dest], url);
    await client.query('COMMIT');
    return { rowCounts, schemaVersion };
  } catch (e) {
    await client.query('ROLLBACK').catch((rollbackErr: unknown) => {
      throw new AggregateError([e, rollbackErr], `${(e as Error).message} (and the snapshot transaction could not be rolled back)`);
    });
    throw e;
  } finally {
    client.release();
  }
}

/** `pg_restore --list`: proves the archive is complete and readable; returns its table of contents. */
export async function pgList(file: string): Promise<string[]> {
  const out = await tool('pg_restore', ['--list', file]);
  const lines = out.split('\n').filter((l) => l && !l.startsWith(';'));
  if (!lines.some((l) => / TABLE DATA /.test(l))) throw new Error('archive lists no table data');
  return lines;
}
