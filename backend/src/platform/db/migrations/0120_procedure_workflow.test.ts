import { Migrator } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest } from '../migrate';
import { allMigrations } from './index';

describe.each(DATABASES)('migration 0120 (procedure levels, due dates, step notes, maintenance notice) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('keeps existing runs and windows (no level, no due date, no notice yet) and stores notes deleted with their run', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => allMigrations({ dialect: handle!.dialect }) }, migrationTableName: 'schema_migrations', migrationLockTableName: 'schema_migrations_lock' });
    expect((await migrator.migrateTo('0060_probes')).error).toBeUndefined();
    const db = handle.db as any;
    await db.insertInto('procedure_runs').values({ id: 'r1', procedure: 'daily-checklist', title: 'Daily tasks', status: 'waiting', assigned_role: 'oncall', params: '{}', state: '{}', maintenance_id: null, occurrence: 'daily-checklist:2026-06-01', started_by: null, created_at: 1, updated_at: 1, finished_at: null }).execute();
    await db.insertInto('maintenance_windows').values({ id: 'w1', title: 'W', announcement: '', starts_at: 10, ends_at: 20, cron: null, timezone: 'UTC', services: '[]', silence_alerts: 1, status: 'scheduled', current_start: 10, current_end: 20, started_notified_for: null, silence_ids: '[]', silencing: null, created_by: null, created_at: 1, updated_at: 1 }).execute();

    expect(await migrateToLatest(handle)).toContain('0120_procedure_workflow');
    const run = await handle.db.selectFrom('procedure_runs').select(['id', 'level', 'due_at', 'reminded_at']).executeTakeFirstOrThrow();
    expect(run).toEqual({ id: 'r1', level: null, due_at: null, reminded_at: null });
    const w = await handle.db.selectFrom('maintenance_windows').select(['notice_sent_for', 'notice_sent_at']).executeTakeFirstOrThrow();
    expect(w).toEqual({ notice_sent_for: null, notice_sent_at: null });

    await handle.db.insertInto('procedure_step_notes').values([
      { id: 'n1', run_id: 'r1', step_key: 'resources', author: 'a@example.com', body: 'CPU 30 %', created_at: 5 },
      { id: 'n2', run_id: 'r1', step_key: 'resources', author: 'b@example.com', body: 'disk fine', created_at: 6 },
    ]).execute();
    await expect(handle.db.insertInto('procedure_step_notes').values({ id: 'n3', run_id: 'ghost', step_key: 'x', author: 'a', body: 'b', created_at: 1 }).execute()).rejects.toThrow(/foreign key|constraint/i);
    expect((await handle.db.selectFrom('procedure_step_notes').select('body').orderBy('created_at').execute()).map((r) => r.body)).toEqual(['CPU 30 %', 'disk fine']);
    await handle.db.deleteFrom('procedure_runs').where('id', '=', 'r1').execute();
    expect(await handle.db.selectFrom('procedure_step_notes').selectAll().execute()).toEqual([]);
  });
});
