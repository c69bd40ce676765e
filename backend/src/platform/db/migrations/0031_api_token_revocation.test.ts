import { Migrator } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest } from '../migrate';
import { allMigrations } from './index';

describe.each(DATABASES)('migration 0031 (API token revocation reason) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('marks tokens already revoked as revoked by hand and leaves active ones without a reason', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => allMigrations({ dialect: handle!.dialect }) }, migrationTableName: 'schema_migrations', migrationLockTableName: 'schema_migrations_lock' });
    expect((await migrator.migrateTo('0030_operations')).error).toBeUndefined();
    const db = handle.db as any;
    await db.insertInto('users').values({ id: 'u1', email: 'a@example.com', name: 'A', role: 'admin', password_hash: 'x', disabled: 0, mfa_enabled: 0, created_at: 1, updated_at: 1 }).execute();
    const token = (id: string, revoked: number | null) => ({ id, name: id, scopes: '["read"]', token_hash: id, created_by: 'u1', created_at: 1, last_used_at: null, expires_at: null, revoked_at: revoked });
    await db.insertInto('api_tokens').values([token('t1', null), token('t2', 5)]).execute();

    expect(await migrateToLatest(handle)).toContain('0031_api_token_revocation');
    const rows = await handle.db.selectFrom('api_tokens').select(['id', 'revoked_reason']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 't1', revoked_reason: null },
      { id: 't2', revoked_reason: 'manual' },
    ]);
  });
});
