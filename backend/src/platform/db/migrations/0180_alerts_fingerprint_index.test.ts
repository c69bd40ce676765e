import { CompiledQuery, Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { OPEN } from '../../../alerts/alert-model';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest } from '../migrate';
import { allMigrations } from './index';

describe.each(DATABASES)('migration 0180 (alerts fingerprint index) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  const indexes = async (h: DatabaseHandle) =>
    h.dialect === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'alerts'`.execute(h.db)).rows.map((r) => r.name)
      : (await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'alerts'`.execute(h.db)).rows.map((r) => r.name);

  it('drops the unread full fingerprint index and keeps the open one the lookups walk', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => allMigrations({ dialect: handle!.dialect }) }, migrationTableName: 'schema_migrations', migrationLockTableName: 'schema_migrations_lock' });
    expect((await migrator.migrateTo('0120_procedure_workflow')).error).toBeUndefined();
    expect(await indexes(handle)).toContain('alerts_fingerprint');
    expect(await migrateToLatest(handle)).toContain('0180_alerts_fingerprint_index');
    const after = await indexes(handle);
    expect(after).not.toContain('alerts_fingerprint');
    expect(after).toContain('alerts_open_fingerprint');
    if (handle.dialect === 'sqlite') {
      const lookup = handle.db.selectFrom('alerts').selectAll().where('fingerprint', 'in', ['a', 'b']).where(OPEN).compile();
      const plan = (await handle.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${lookup.sql}`, [...lookup.parameters]))).rows;
      expect(plan.map((p) => p.detail).join(' ')).toContain('alerts_open_fingerprint');
    }
  });
});
