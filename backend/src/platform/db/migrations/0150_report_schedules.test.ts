import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest, migrateUpTo } from '../migrate';

describe.each(DATABASES)('migration 0150 (report schedules) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('adds the schedule and delivery tables; a period is claimed once', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    await migrateUpTo(handle, '0120_procedure_workflow');
    expect(await migrateToLatest(handle)).toContain('0150_report_schedules');
    const db = handle.db;
    await db.insertInto('report_schedules').values({ id: 's1', name: 'Daily', period: 'daily', recipients: '["a@example.com"]', time_zone: 'UTC', hour: 7, enabled: 1, created_by: null, created_at: 1, updated_at: 1 }).execute();
    const claim = () =>
      db.insertInto('report_deliveries').values({ schedule_id: 's1', period_start: 100, label: 'd', status: 'sending', attempts: 1, error: null, claimed_at: 2, sent_at: null }).onConflict((oc) => oc.columns(['schedule_id', 'period_start']).doNothing()).returning('schedule_id').execute();
    expect(await claim()).toHaveLength(1);
    expect(await claim()).toHaveLength(0);
    expect(await db.selectFrom('report_deliveries').select(['schedule_id', 'period_start', 'status']).execute()).toEqual([{ schedule_id: 's1', period_start: 100, status: 'sending' }]);
  });
});
