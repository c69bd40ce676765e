import { CompiledQuery } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest } from '../migrate';
import { UNSENT } from '../../../mail/mailer';

describe.each(DATABASES)('migration 0220 (mail indexes) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  const plan = async (h: DatabaseHandle, q: { sql: string; parameters: readonly unknown[] }) => {
    const explain = h.dialect === 'sqlite' ? `explain query plan ${q.sql}` : `explain ${q.sql}`;
    return JSON.stringify((await h.db.executeQuery(CompiledQuery.raw(explain, [...q.parameters]))).rows);
  };

  it("a reply's thread lookup and the mailer's claim walk their indexes", async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    expect(await migrateToLatest(handle)).toContain('0220_mail_indexes');
    const db = handle.db;
    if (kind === 'postgres') await db.executeQuery(CompiledQuery.raw('set enable_seqscan = off'));
    const thread = db.selectFrom('mail_messages').select(['message_id', 'direction']).where('ticket_id', '=', 't1').orderBy('at').orderBy('id').compile();
    expect(await plan(handle, thread)).toContain('mail_messages_ticket');
    const claim = db
      .selectFrom('outbound_mail')
      .select('id')
      .where(UNSENT)
      .where((w) => w.or([w.and([w('state', 'in', ['queued', 'retrying']), w('next_attempt_at', '<=', 1)]), w.and([w('state', '=', 'sending'), w('attempt_started_at', '<', 1)])]))
      .orderBy('created_at')
      .limit(4)
      .compile();
    const claimPlan = await plan(handle, claim);
    expect(claimPlan).toContain('outbound_mail_unsent');
    // Walked in created_at order: no sort of the backlog.
    if (kind === 'sqlite') expect(claimPlan).not.toContain('TEMP B-TREE');
    const deliveries = db.selectFrom('outbound_mail').selectAll().where('ticket_id', '=', 't1').compile();
    expect(await plan(handle, deliveries)).toContain('outbound_mail_ticket');
  });
});
