import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest, migrateUpTo } from '../migrate';

describe.each(DATABASES)('migration 0132 (SLA warning marks) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('marks warnings already past as announced, leaves future ones to the watcher', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    await migrateUpTo(handle, '0131_business_calendars');
    const db = handle.db;
    await db.insertInto('queues').values({ id: 'q1', name: 'Desk', description: '', created_at: 1, updated_at: 1 }).execute();
    const future = Date.now() + 86_400_000;
    const ticket = (id: string, number: number, warn: number) => ({
      id, number, queue_id: 'q1', subject: 's', description: '', requester_name: 'R', requester_email: 'r@example.com', status: 'open', priority: 'low', priority_rank: 1,
      assignee_id: null, tags: '[]', created_by: null, created_at: 1, updated_at: 1, resolved_at: null, closed_at: null, version: 1,
      sla_response_ms: 1, sla_resolution_ms: 1, response_due_at: warn + 10, response_warn_at: warn, resolution_due_at: future + 10, resolution_warn_at: future, due_sort: 2,
    });
    await (db as any).insertInto('tickets').values([ticket('old', 1, 1000), ticket('new', 2, future)]).execute();
    expect(await migrateToLatest(handle)).toContain('0132_sla_warnings');
    const rows = await db.selectFrom('tickets').select(['id', 'response_warned_at', 'resolution_warned_at']).orderBy('number').execute();
    expect(rows.map((r) => [r.id, r.response_warned_at === null ? null : Number(r.response_warned_at), r.resolution_warned_at])).toEqual([['old', 1000, null], ['new', null, null]]);
  });
});
