import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest } from '../migrate';

describe.each(DATABASES)('migration 0070 (attachments) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('stores attachment bytes exactly, lists them on tickets and comments, and deletes them with their ticket', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    expect(await migrateToLatest(handle)).toContain('0070_attachments');
    const db = handle.db;
    await db.insertInto('queues').values({ id: 'q1', name: 'Desk', description: '', created_at: 1, updated_at: 1 }).execute();
    const ticket = await db.selectFrom('tickets').selectAll().executeTakeFirst();
    expect(ticket).toBeUndefined();
    await db
      .insertInto('tickets')
      .values({
        id: 't1', number: 1, queue_id: 'q1', subject: 's', description: '', requester_name: 'R', requester_email: 'r@example.com', status: 'new', priority: 'low', priority_rank: 1,
        assignee_id: null, tags: '[]', created_by: null, created_at: 1, updated_at: 1, resolved_at: null, closed_at: null, version: 1,
        sla_response_ms: 1, sla_resolution_ms: 1, response_due_at: 2, response_warn_at: 2, resolution_due_at: 2, resolution_warn_at: 2, due_sort: 2,
      })
      .execute();
    expect((await db.selectFrom('tickets').select('attachments').executeTakeFirstOrThrow()).attachments).toBe('[]');
    const bytes = Buffer.from([0, 1, 2, 255, 254, 0x89, 0x50, 0x4e, 0x47]);
    await db.insertInto('attachments').values({ id: 'a1', ticket_id: 't1', comment_id: null, filename: 'x.bin', content_type: 'application/octet-stream', size: bytes.length, sha256: 'h', source: 'app', uploaded_by: null, created_at: 2, data: bytes }).execute();
    const back = await db.selectFrom('attachments').select('data').executeTakeFirstOrThrow();
    expect(Buffer.from(back.data).equals(bytes)).toBe(true);
    await db.deleteFrom('tickets').where('id', '=', 't1').execute();
    expect(await db.selectFrom('attachments').selectAll().execute()).toEqual([]);
  });
});
