import { rmSync } from 'node:fs';
import type SqliteDatabase from 'better-sqlite3';
import type { DatabaseHandle } from '../platform/db/connect';
import { inWorker, type InspectResult } from './backup-worker';

/** Tables that describe the running system rather than its data; a restore keeps the live ones. */
export const PRESERVED_TABLES = ['jobs', 'job_logs', 'job_locks', 'backups', 'audit_log', 'procedure_runs', 'procedure_steps', 'maintenance_windows', 'schema_migrations_lock'];

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

export interface SqliteCheck {
  ok: boolean;
  message: string;
  rowCounts: Record<string, number>;
  schemaVersion: string | null;
}

function summary(r: InspectResult): SqliteCheck {
  if (r.openError !== undefined) return { ok: false, message: `cannot open as SQLite: ${r.openError}`, rowCounts: {}, schemaVersion: null };
  const { problems, rowCounts, schemaVersion } = r;
  return problems.length
    ? { ok: false, message: `integrity_check: ${problems.slice(0, 3).join('; ')}`, rowCounts, schemaVersion }
    : { ok: true, message: `integrity_check ok; ${Object.keys(rowCounts).length} tables, ${Object.values(rowCounts).reduce((a, b) => a + b, 0)} rows`, rowCounts, schemaVersion };
}

/** Opens a database file read-only in a worker thread: PRAGMA integrity_check and a row count of every table. */
export async function inspectSqliteFile(file: string): Promise<SqliteCheck> {
  return summary(await inWorker('inspect', { file }));
}

function hasTable(db: SqliteDatabase.Database, schema: string, name: string): boolean {
  return !!db.prepare(`SELECT 1 FROM ${schema}.sqlite_master WHERE type = 'table' AND name = ?`).get(name);
}

/**
 * SQLite's online backup API: a consistent copy while the server keeps writing. A database file is
 * copied by a worker thread's own read-only connection in one step (one read transaction: WAL lets
 * the server's writer go on); an in-memory database by the server's connection, step by step.
 */
export async function sqliteOnlineBackup(handle: DatabaseHandle, dest: string): Promise<void> {
  if (!handle.sqlite) throw new Error('not a SQLite database');
  rmSync(dest, { force: true });
  if (handle.sqliteFile && handle.sqliteFile !== ':memory:') await inWorker('copy', { file: handle.sqliteFile, dest });
  else await handle.sqlite.backup(dest, { progress: () => 2048 });
}

/**
 * Replaces the live database's contents with `file`'s, inside one transaction on the server's own
 * connection (held through Kysely so nothing interleaves). Preserved tables keep their live rows.
 */
export async function applySqliteCopy(handle: DatabaseHandle, file: string): Promise<void> {
  const raw = handle.sqlite!;
  await handle.db.connection().execute(async () => {
    raw.pragma('foreign_keys = OFF');
    raw.prepare('ATTACH DATABASE ? AS r').run(file);
    try {
      raw.transaction(() => {
        const keep = new Set(PRESERVED_TABLES);
        const live = raw.prepare(`SELECT type, name, sql FROM main.sqlite_master WHERE name NOT LIKE 'sqlite_%'`).all() as { type: string; name: string; sql: string | null }[];
        for (const o of live.filter((o) => o.type === 'view')) raw.exec(`DROP VIEW IF EXISTS main.${q(o.name)}`);
        for (const o of live.filter((o) => o.type === 'trigger')) raw.exec(`DROP TRIGGER IF EXISTS main.${q(o.name)}`);
        // Virtual tables first: dropping one drops its shadow tables.
        const tables = live.filter((o) => o.type === 'table' && !keep.has(o.name));
        for (const o of tables.filter((o) => /^CREATE VIRTUAL/i.test(o.sql ?? ''))) raw.exec(`DROP TABLE IF EXISTS main.${q(o.name)}`);
        const liveVirtual = tables.filter((o) => /^CREATE VIRTUAL/i.test(o.sql ?? '')).map((o) => o.name);
        for (const o of tables) if (!liveVirtual.some((v) => o.name.startsWith(`${v}_`))) raw.exec(`DROP TABLE IF EXISTS main.${q(o.name)}`);

        const src = raw.prepare(`SELECT type, name, tbl_name, sql FROM r.sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'`).all() as { type: string; name: string; tbl_name: string; sql: string }[];
        const virtuals = src.filter((o) => o.type === 'table' && !keep.has(o.name) && /^CREATE VIRTUAL/i.test(o.sql));
        // Shadow tables belong to their virtual table (and are write-protected in defensive mode).
        const isShadow = (name: string) => virtuals.some((v) => name.startsWith(`${v.name}_`));
        const plain = src.filter((o) => o.type === 'table' && !keep.has(o.name) && !/^CREATE VIRTUAL/i.test(o.sql) && !isShadow(o.name));
        for (const o of plain) raw.exec(o.sql);
        for (const o of plain) raw.exec(`INSERT INTO main.${q(o.name)} SELECT * FROM r.${q(o.name)}`);
        for (const v of virtuals) {
          raw.exec(v.sql);
          if (/content\s*=\s*'[^']+'/i.test(v.sql)) raw.exec(`INSERT INTO main.${q(v.name)}(${q(v.name)}) VALUES('rebuild')`);
          else if (!/content\s*=\s*''/i.test(v.sql)) {
            const cols = (raw.prepare(`PRAGMA r.table_info(${q(v.name)})`).all() as { name: string }[]).map((c) => q(c.name)).join(', ');
            raw.exec(`INSERT INTO main.${q(v.name)}(rowid, ${cols}) SELECT rowid, ${cols} FROM r.${q(v.name)}`);
          } else {
            // A contentless index holds the only copy of what it indexed: copy its shadow tables
            // as they are (defensive mode protects them, so lift it for these statements only).
            const shadows = src.filter((o) => o.type === 'table' && o.name.startsWith(`${v.name}_`)).map((o) => o.name);
            raw.unsafeMode(true);
            try {
              for (const t of shadows) raw.exec(`DELETE FROM main.${q(t)}; INSERT INTO main.${q(t)} SELECT * FROM r.${q(t)}`);
            } finally {
              raw.unsafeMode(false);
            }
          }
        }
        if (hasTable(raw, 'main', 'sqlite_sequence') && hasTable(raw, 'r', 'sqlite_sequence')) {
          const names = [...keep].map(() => '?').join(',');
          raw.prepare(`DELETE FROM main.sqlite_sequence WHERE name NOT IN (${names})`).run(...keep);
          raw.prepare(`INSERT INTO main.sqlite_sequence SELECT * FROM r.sqlite_sequence WHERE name NOT IN (${names})`).run(...keep);
        }
        for (const o of src.filter((o) => (o.type === 'index' || o.type === 'trigger' || o.type === 'view') && !keep.has(o.tbl_name))) raw.exec(o.sql);
      })();
    } finally {
      raw.exec('DETACH DATABASE r');
      raw.pragma('foreign_keys = ON');
    }
  });
}

/** Checks the live database after a restore (read in a worker thread): integrity, foreign keys, and row counts against the manifest. */
export async function verifyLiveSqlite(handle: DatabaseHandle, expected: Record<string, number>): Promise<string[]> {
  if (!handle.sqliteFile || handle.sqliteFile === ':memory:') throw new Error('a restore needs a SQLite database file');
  const r = await inWorker('inspect', { file: handle.sqliteFile, foreignKeys: true });
  if (r.openError !== undefined) return [`cannot open as SQLite: ${r.openError}`];
  const problems: string[] = [];
  if (r.problems.length) problems.push(`integrity_check: ${r.problems.slice(0, 3).join('; ')}`);
  if (r.fkViolations) problems.push(`${r.fkViolations} foreign key violation(s)`);
  for (const [t, n] of Object.entries(expected)) {
    if (PRESERVED_TABLES.includes(t)) continue;
    if (r.rowCounts[t] !== n) problems.push(`${t}: ${r.rowCounts[t] ?? 'missing'} rows, backup had ${n}`);
  }
  return problems;
}
