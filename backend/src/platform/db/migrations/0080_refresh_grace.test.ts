import { Migrator } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest } from '../migrate';
import { allMigrations } from './index';

describe.each(DATABASES)('migration 0080 (refresh token replacement) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('keeps existing refresh tokens, with no replacement recorded', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => allMigrations({ dialect: handle!.dialect }) }, migrationTableName: 'schema_migrations', migrationLockTableName: 'schema_migrations_lock' });
    expect((await migrator.migrateTo('0060_probes')).error).toBeUndefined();
    const db = handle.db as any;
    await db.insertInto('users').values({ id: 'u1', email: 'a@example.com', name: 'A', role: 'admin', password_hash: 'x', disabled: 0, mfa_enabled: 0, created_at: 1, updated_at: 1 }).execute();
    await db.insertInto('sessions').values({ id: 's1', user_id: 'u1', created_at: 1, last_used_at: 1, expires_at: 10, revoked_at: null, revoked_reason: null, user_agent: null, ip: null }).execute();
    await db.insertInto('refresh_tokens').values({ id: 'r1', session_id: 's1', token_hash: 'h', created_at: 1, used_at: 2 }).execute();

    expect(await migrateToLatest(handle)).toContain('0080_refresh_grace');
    const rows = await handle.db.selectFrom('refresh_tokens').select(['id', 'used_at', 'replaced_by']).execute();
    expect(rows).toEqual([{ id: 'r1', used_at: 2, replaced_by: null }]);
  });
});
