import { Migrator } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest } from '../migrate';
import { allMigrations } from './index';

describe.each(DATABASES)('migration 0082 (alert endsAt) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('adds ends_at, empty for the alerts already there', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => allMigrations({ dialect: handle!.dialect }) }, migrationTableName: 'schema_migrations', migrationLockTableName: 'schema_migrations_lock' });
    expect((await migrator.migrateTo('0081_notify_routing')).error).toBeUndefined();
    const before = await handle.db.selectFrom('alerts').select('id').execute();
    expect(await migrateToLatest(handle)).toContain('0082_alert_ends_at');
    const rows = await handle.db.selectFrom('alerts').select(['id', 'ends_at']).execute();
    expect(rows).toHaveLength(before.length);
    expect(rows.every((r) => r.ends_at === null)).toBe(true);
  });
});
