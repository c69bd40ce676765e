import { Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createPgDatabase, DATABASES, tempDir } from '../../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../connect';
import { allMigrations } from './index';

describe.each(DATABASES)('migration 0010_helpdesk on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('adds the helpdesk tables over an existing 0002 database, with the default SLA policies', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    const h = handle;
    const migrator = new Migrator({ db: h.db, provider: { getMigrations: async () => allMigrations({ dialect: h.dialect }) }, migrationTableName: 'schema_migrations', migrationLockTableName: 'schema_migrations_lock' });
    expect((await migrator.migrateTo('0002_change_feed')).error).toBeUndefined();
    await h.db.insertInto('users').values({ id: 'u1', email: 'a@example.com', name: 'A', role: 'agent', password_hash: 'x', disabled: 0, mfa_enabled: 0, mfa_secret: null, mfa_pending_secret: null, mfa_last_step: null, created_at: 1, updated_at: 1 }).execute();
    expect((await migrator.migrateTo('0010_helpdesk')).error).toBeUndefined();

    const policies = await h.db.selectFrom('sla_policies').selectAll().orderBy('first_response_ms').execute();
    expect(policies.map((p) => [p.priority, Number(p.first_response_ms) / 60_000, Number(p.resolution_ms) / 3_600_000])).toEqual([
      ['critical', 15, 4],
      ['high', 60, 8],
      ['medium', 240, 24],
      ['low', 1440, 72],
    ]);
    expect(await h.db.selectFrom('counters').selectAll().execute()).toEqual([{ name: 'ticket_number', value: 0 }]);
    await h.db.insertInto('queues').values({ id: 'q1', name: 'Service Desk', description: '', created_at: 1, updated_at: 1 }).execute();
    await h.db.insertInto('queue_members').values({ queue_id: 'q1', user_id: 'u1', added_at: 1 }).execute();
    // Deleting a user drops their memberships.
    await h.db.deleteFrom('users').where('id', '=', 'u1').execute();
    expect(await h.db.selectFrom('queue_members').selectAll().execute()).toEqual([]);
    if (h.dialect === 'sqlite') {
      await sql`insert into ticket_fts (rowid, subject, body) values (1, 'VPN down', 'gateway')`.execute(h.db);
      const hit = await sql<{ rowid: number }>`select rowid from ticket_fts where ticket_fts match '"gateway"'`.execute(h.db);
      expect(hit.rows).toEqual([{ rowid: 1 }]);
    } else {
      const col = await sql<{ data_type: string }>`select data_type from information_schema.columns where table_name = 'tickets' and column_name = 'search_vector'`.execute(h.db);
      expect(col.rows[0]?.data_type).toBe('tsvector');
    }
  });
});
