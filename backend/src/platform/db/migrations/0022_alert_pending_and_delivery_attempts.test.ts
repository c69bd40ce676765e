import { Migrator } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest } from '../migrate';
import { allMigrations } from './index';

const delivery = (id: string, status: string) => ({
  id,
  alert_id: 'a1',
  channel: 'email',
  target: 'oncall@example.com',
  status,
  attempts: 0,
  error: null,
  next_attempt_at: null,
  escalation_level: 0,
  payload: '{}',
  created_at: 1000,
  sent_at: null,
});

describe.each(DATABASES)('migration 0022 (pending conditions, delivery attempts) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('marks deliveries already pending as started at their creation and adds the pending-condition table', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => allMigrations({ dialect: handle!.dialect }) }, migrationTableName: 'schema_migrations', migrationLockTableName: 'schema_migrations_lock' });
    const before = await migrator.migrateTo('0021_alerts_open_order');
    expect(before.error).toBeUndefined();
    const db = handle.db as any;
    await db.insertInto('notification_deliveries').values([delivery('d1', 'pending'), delivery('d2', 'sent')]).execute();

    expect(await migrateToLatest(handle)).toContain('0022_alert_pending_and_delivery_attempts');
    const rows = await handle.db.selectFrom('notification_deliveries').select(['id', 'attempt_started_at']).orderBy('id').execute();
    expect(rows.map((r) => [r.id, r.attempt_started_at === null ? null : Number(r.attempt_started_at)])).toEqual([
      ['d1', 1000],
      ['d2', null],
    ]);
    await handle.db.insertInto('alert_rule_pending').values({ fingerprint: 'fp', rule_id: 'r', level: 'warning', since: 1, checked_at: 2 }).execute();
    await expect(handle.db.insertInto('alert_rule_pending').values({ fingerprint: 'fp', rule_id: 'r', level: 'critical', since: 3, checked_at: 3 }).execute()).rejects.toThrow(/unique|UNIQUE|duplicate/);
  });
});
