import { Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest } from '../migrate';
import { allMigrations } from './index';

describe.each(DATABASES)('migration 0230 (desktop fallback index) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('runs on a database that ran every earlier migration, and the fallback check walks the index', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    const h = handle;
    // A database from before the merge: every migration but 0230 applied.
    const { '0230_delivery_fallback_index': _left, ...before } = allMigrations({ dialect: h.dialect });
    const old = new Migrator({ db: h.db, provider: { getMigrations: async () => before }, migrationTableName: 'schema_migrations', migrationLockTableName: 'schema_migrations_lock' });
    expect((await old.migrateToLatest()).error).toBeUndefined();
    expect(await migrateToLatest(h)).toEqual(['0230_delivery_fallback_index']);
    expect(await migrateToLatest(h)).toEqual([]);

    // The Notifier's query (notifier.ts fallback): which email/SMS rows a person got at a level.
    const check = `select channel from notification_deliveries where user_id = 'u1' and channel in ('email', 'sms') and escalation_level = 1 and alert_id is null and created_at >= 5`;
    if (kind === 'sqlite') {
      const plan = await sql.raw<{ detail: string }>(`explain query plan ${check}`).execute(h.db);
      expect(plan.rows.map((r) => r.detail).join('\n')).toMatch(/USING (COVERING )?INDEX notification_deliveries_person_level \(user_id=\? AND alert_id=\? AND escalation_level=\? AND channel=\? AND created_at>\?\)/);
    } else {
      const defs = await sql<{ indexdef: string }>`select indexdef from pg_indexes where indexname = 'notification_deliveries_person_level'`.execute(h.db);
      expect(defs.rows[0]?.indexdef).toMatch(/\(user_id, alert_id, escalation_level, channel, created_at\)/);
      await sql`set enable_seqscan = off`.execute(h.db);
      const plan = await sql.raw<{ 'QUERY PLAN': string }>(`explain ${check}`).execute(h.db);
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('notification_deliveries_person_level');
    }
  });
});
