import { Migrator } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest } from '../migrate';
import { allMigrations } from './index';

describe.each(DATABASES)('migrations 0140–0141 (contact methods) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('turn the addresses preferences carried into unverified contact methods, one per user and address', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    const db = handle.db;
    const migrator = new Migrator({ db, provider: { getMigrations: async () => allMigrations({ dialect: handle!.dialect }) }, migrationTableName: 'schema_migrations', migrationLockTableName: 'schema_migrations_lock' });
    expect((await migrator.migrateTo('0120_procedure_workflow')).error).toBeUndefined();
    await db.insertInto('users').values({ id: 'u1', email: 'a@example.com', name: 'A', role: 'oncall', password_hash: 'x', disabled: 0, mfa_enabled: 0, created_at: 1, updated_at: 1 }).execute();
    await db
      .insertInto('notification_preferences')
      .values([
        { user_id: 'u1', channel: 'sms', enabled: 1, address: '+1 (555) 0123', min_severity: 'critical' },
        { user_id: 'u1', channel: 'email', enabled: 1, address: 'Pager@Example.com', min_severity: 'high' },
        { user_id: 'u1', channel: 'desktop', enabled: 1, address: null, min_severity: 'low' },
      ])
      .execute();

    const applied = await migrateToLatest(handle);
    expect(applied).toEqual(expect.arrayContaining(['0140_contact_methods', '0141_preference_addresses']));
    const methods = await db.selectFrom('contact_methods').select(['user_id', 'kind', 'address', 'verified_at']).orderBy('kind').execute();
    expect(methods).toEqual([
      { user_id: 'u1', kind: 'email', address: 'pager@example.com', verified_at: null },
      { user_id: 'u1', kind: 'phone', address: '+15550123', verified_at: null },
    ]);
    const prefs = await db.selectFrom('notification_preferences').select(['channel', 'address', 'enabled']).execute();
    expect(prefs).toHaveLength(3);
    expect(prefs.every((p) => p.address === null)).toBe(true);
    // One method per user, kind and address.
    await expect(db.insertInto('contact_methods').values({ id: 'x', user_id: 'u1', kind: 'phone', address: '+15550123', code_attempts: 0, created_at: 2 }).execute()).rejects.toThrow();
  });
});
