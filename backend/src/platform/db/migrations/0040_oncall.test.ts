import { Migrator } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest } from '../migrate';
import { allMigrations } from './index';

describe.each(DATABASES)('migration 0040 (on-call schedules) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('adds the schedule tables on an existing database; a hand-off is claimed once', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => allMigrations({ dialect: handle!.dialect }) }, migrationTableName: 'schema_migrations', migrationLockTableName: 'schema_migrations_lock' });
    expect((await migrator.migrateTo('0030_operations')).error).toBeUndefined();
    expect(await migrateToLatest(handle)).toContain('0040_oncall');
    const db = handle.db;
    await db.insertInto('oncall_schedules').values({ id: 's1', name: 'Ops', time_zone: 'Europe/Berlin', description: '', created_at: 1, updated_at: 1 }).execute();
    await db
      .insertInto('oncall_rotations')
      .values({ id: 'r1', schedule_id: 's1', name: 'Primary', layer: 1, position: 1, kind: 'weekly', shift_minutes: null, handoff_time: '09:00', start_date: '2026-01-05', participants: '["u1","u2"]', ends_at: null, active_from: null, active_to: null, updated_at: 1 })
      .execute();
    await db.insertInto('oncall_overrides').values({ id: 'o1', schedule_id: 's1', user_id: 'u3', covers_user_id: 'u1', starts_at: 10, ends_at: 20, note: '', created_by: null, created_at: 1 }).execute();
    await db.insertInto('oncall_feeds').values({ id: 'f1', token_hash: 'h', schedule_id: 's1', user_id: null, created_by: null, created_at: 1, last_used_at: null, revoked_at: null }).execute();
    await expect(db.insertInto('oncall_feeds').values({ id: 'f2', token_hash: 'h', schedule_id: null, user_id: 'u1', created_by: null, created_at: 1, last_used_at: null, revoked_at: null }).execute()).rejects.toThrow();
    await expect(db.insertInto('oncall_schedules').values({ id: 's2', name: 'Ops', time_zone: 'UTC', description: '', created_at: 1, updated_at: 1 }).execute()).rejects.toThrow();
    const claim = () => db.insertInto('oncall_handoffs').values({ schedule_id: 's1', at: 100, incoming_user_id: 'u3', outgoing_user_id: 'u1', notified_at: 100 }).onConflict((oc) => oc.columns(['schedule_id', 'at']).doNothing()).executeTakeFirst();
    expect(Number((await claim()).numInsertedOrUpdatedRows)).toBe(1);
    expect(Number((await claim()).numInsertedOrUpdatedRows)).toBe(0);
    const rows = await db.selectFrom('oncall_rotations').select(['id', 'participants']).execute();
    expect(rows).toEqual([{ id: 'r1', participants: '["u1","u2"]' }]);
  });
});
