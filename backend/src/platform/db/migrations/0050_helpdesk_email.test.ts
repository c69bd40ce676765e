import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest } from '../migrate';

describe.each(DATABASES)('migration 0050 (helpdesk email) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('adds mailboxes, mail messages and outbound mail; tickets and comments get their email columns with defaults', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    expect(await migrateToLatest(handle)).toContain('0050_helpdesk_email');
    const db = handle.db;
    const now = Date.now();
    await db.insertInto('queues').values({ id: 'q1', name: 'Q', description: '', created_at: now, updated_at: now }).execute();
    await db.insertInto('mail_messages').values({ id: 'm1', queue_id: 'q1', direction: 'in', message_id: 'a@b', ticket_id: null, comment_id: null, from_address: 'x@y', subject: 's', flags: '[]', raw: null, at: now }).execute();
    // One record per Message-ID, direction and queue.
    await expect(db.insertInto('mail_messages').values({ id: 'm2', queue_id: 'q1', direction: 'in', message_id: 'a@b', ticket_id: null, comment_id: null, from_address: 'x@y', subject: 's', flags: '[]', raw: null, at: now }).execute()).rejects.toThrow();
    const cols = await db.introspection.getTables();
    const columns = (t: string) => cols.find((x) => x.name === t)!.columns.map((c) => c.name);
    expect(columns('tickets')).toEqual(expect.arrayContaining(['source', 'cc', 'merged_into_id']));
    expect(columns('ticket_comments')).toEqual(expect.arrayContaining(['source', 'author_email', 'html', 'flags']));
    expect(columns('queue_mailboxes')).toEqual(expect.arrayContaining(['imap_password', 'uid_validity', 'last_uid', 'ack_enabled']));
    expect(columns('outbound_mail')).toEqual(expect.arrayContaining(['state', 'attempts', 'last_error', 'message_id', 'references_ids']));
  });
});
