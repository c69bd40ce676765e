import { rmSync } from 'node:fs';
import type SqliteDatabase from 'better-sqlite3';
import { openDatabase } from '../platform/db/connect';
import { migrateToLatest, migrateUpTo } from '../platform/db/migrate';

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

type Obj = { name: string; sql: string | null };

function tables(raw: SqliteDatabase.Database, schema: string): Obj[] {
  return raw.prepare(`SELECT name, sql FROM ${schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as Obj[];
}

function columns(raw: SqliteDatabase.Database, schema: string, table: string): string[] {
  return (raw.prepare(`PRAGMA ${schema}.table_info(${q(table)})`).all() as { name: string }[]).map((c) => c.name);
}

/**
 * Builds `dest` with OpsDesk's own migrations up to the backup's schema version, then copies the
 * rows of `backupCopy` into it, table by table and column by column. Nothing in the backup's
 * schema (triggers, views, table definitions) is executed; tables the migrations do not create are
 * left behind (and the row-count check then refuses the restore).
 */
export async function rebuildFromOwnSchema(backupCopy: string, dest: string, schemaVersion: string | null, log: (l: string) => void): Promise<string[]> {
  rmSync(dest, { force: true });
  const handle = openDatabase(`sqlite:${dest}`);
  const skipped: string[] = [];
  try {
    const applied = schemaVersion ? await migrateUpTo(handle, schemaVersion) : await migrateToLatest(handle);
    log(`schema built by ${applied.length} OpsDesk migration(s) up to ${schemaVersion ?? 'the latest'}`);
    const raw = handle.sqlite!;
    await handle.db.connection().execute(async () => {
      raw.pragma('foreign_keys = OFF');
      raw.prepare('ATTACH DATABASE ? AS r').run(backupCopy);
      try {
        raw.transaction(() => copyRows(raw, skipped))();
      } finally {
        raw.exec('DETACH DATABASE r');
        raw.pragma('foreign_keys = ON');
      }
    });
    raw.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    await handle.close();
  }
  return skipped;
}

function copyRows(raw: SqliteDatabase.Database, skipped: string[]): void {
  const own = tables(raw, 'main');
  const theirs = new Set(tables(raw, 'r').map((t) => t.name));
  const virtuals = own.filter((t) => /^CREATE VIRTUAL/i.test(t.sql ?? ''));
  const isShadow = (name: string) => virtuals.some((v) => name.startsWith(`${v.name}_`));
  for (const t of own) {
    if (t.name.startsWith('schema_migrations') || virtuals.includes(t) || isShadow(t.name)) continue;
    if (!theirs.has(t.name)) continue;
    const remote = new Set(columns(raw, 'r', t.name));
    const cols = columns(raw, 'main', t.name).filter((c) => remote.has(c)).map(q).join(', ');
    // Rows a migration seeded (counters, defaults) give way to the backup's.
    raw.exec(`DELETE FROM main.${q(t.name)}; INSERT INTO main.${q(t.name)} (${cols}) SELECT ${cols} FROM r.${q(t.name)}`);
  }
  for (const v of virtuals) {
    if (!theirs.has(v.name)) continue;
    if (/content\s*=\s*''/i.test(v.sql ?? '')) {
      // A contentless index holds the only copy of what it indexed: its shadow rows are data.
      raw.unsafeMode(true);
      try {
        for (const s of own.filter((o) => o.name.startsWith(`${v.name}_`) && theirs.has(o.name))) {
          const cols = columns(raw, 'main', s.name).map(q).join(', ');
          raw.exec(`DELETE FROM main.${q(s.name)}; INSERT INTO main.${q(s.name)} (${cols}) SELECT ${cols} FROM r.${q(s.name)}`);
        }
      } finally {
        raw.unsafeMode(false);
      }
    } else raw.exec(`INSERT INTO main.${q(v.name)}(${q(v.name)}) VALUES('rebuild')`);
  }
  const ownNames = new Set(own.map((t) => t.name));
  for (const name of theirs) if (!ownNames.has(name) && !name.startsWith('sqlite_')) skipped.push(name);
  const hasSeq = (schema: string) => !!raw.prepare(`SELECT 1 FROM ${schema}.sqlite_master WHERE name = 'sqlite_sequence'`).get();
  if (hasSeq('main') && hasSeq('r')) {
    raw.exec(`DELETE FROM main.sqlite_sequence`);
    raw.exec(`INSERT INTO main.sqlite_sequence (name, seq) SELECT name, seq FROM r.sqlite_sequence`);
  }
}
