import { Migrator } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest } from '../migrate';
import { allMigrations } from './index';

describe.each(DATABASES)('migration 0081 (server-routed notifications) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('names the user of existing desktop deliveries, none for other channels, and adds quiet hours', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => allMigrations({ dialect: handle!.dialect }) }, migrationTableName: 'schema_migrations', migrationLockTableName: 'schema_migrations_lock' });
    expect((await migrator.migrateTo('0080_refresh_grace')).error).toBeUndefined();
    const db = handle.db as any;
    await db.insertInto('users').values({ id: 'u1', email: 'a@example.com', name: 'A', role: 'admin', password_hash: 'x', disabled: 0, mfa_enabled: 0, created_at: 1, updated_at: 1 }).execute();
    const delivery = (id: string, channel: string, target: string) => ({ id, alert_id: null, channel, target, status: 'sent', attempts: 1, error: null, next_attempt_at: null, escalation_level: 0, payload: '{}', created_at: 1, sent_at: 1, attempt_started_at: null });
    await db.insertInto('notification_deliveries').values([delivery('d1', 'desktop', 'u1'), delivery('d2', 'email', 'a@example.com')]).execute();

    expect(await migrateToLatest(handle)).toContain('0081_notify_routing');
    const rows = await handle.db.selectFrom('notification_deliveries').select(['id', 'user_id']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'd1', user_id: 'u1' },
      { id: 'd2', user_id: null },
    ]);
    await handle.db.insertInto('notification_quiet_hours').values({ user_id: 'u1', enabled: 1, from_time: '22:00', to_time: '07:00', time_zone: 'UTC', allow_critical: 1, updated_at: 2 }).execute();
    expect(await handle.db.selectFrom('notification_quiet_hours').select('from_time').executeTakeFirst()).toEqual({ from_time: '22:00' });
  });
});
