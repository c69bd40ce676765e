import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest, migrateUpTo } from '../migrate';

describe.each(DATABASES)('migration 0131 (business calendars) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('stores calendars, one per queue at most, dropped with the queue and kept while in use', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    await migrateUpTo(handle, '0130_shared_views');
    const db = handle.db;
    await db.insertInto('queues').values({ id: 'q1', name: 'Desk', description: '', created_at: 1, updated_at: 1 }).execute();
    expect(await migrateToLatest(handle)).toContain('0131_business_calendars');
    await db.insertInto('business_calendars').values({ id: 'c1', name: 'Office', time_zone: 'Europe/Berlin', windows: '[{"day":1,"start":"09:00","end":"17:00"}]', created_at: 1, updated_at: 1, updated_by: null } as never).execute();
    expect((await db.selectFrom('business_calendars').select('holidays').executeTakeFirstOrThrow()).holidays).toBe('[]');
    await db.insertInto('queue_sla_calendars').values({ queue_id: 'q1', calendar_id: 'c1', updated_at: 2 }).execute();
    await expect(db.insertInto('queue_sla_calendars').values({ queue_id: 'q1', calendar_id: 'c1', updated_at: 3 }).execute()).rejects.toThrow();
    await expect(db.insertInto('business_calendars').values({ id: 'c2', name: 'Office', time_zone: 'UTC', windows: '[]', holidays: '[]', created_at: 1, updated_at: 1, updated_by: null }).execute()).rejects.toThrow();
    await db.deleteFrom('queues').where('id', '=', 'q1').execute();
    expect(await db.selectFrom('queue_sla_calendars').selectAll().execute()).toEqual([]);
  });
});
