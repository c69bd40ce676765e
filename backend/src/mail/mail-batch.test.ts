import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mail, startMailEnv, waitFor, type MailEnv } from '../../test-support/mail-fixture';
import { batches, uidSet } from './imap-fetcher';

describe('the fetcher batches', () => {
  it('UID sets compress runs; batches stop at 50 messages or 8 MiB, an oversized message counting as its headers', () => {
    expect(uidSet([9, 3, 4, 5, 12, 13, 7])).toBe('3:5,7,9,12:13');
    const uids = Array.from({ length: 120 }, (_, i) => i + 1);
    expect(batches(uids, new Map(uids.map((u) => [u, 1000])), 1e6).map((b) => b.length)).toEqual([50, 50, 20]);
    const big = new Map([[1, 5e6], [2, 5e6], [3, 2e7], [4, 1e3]]);
    expect(batches([1, 2, 3, 4], big, 1e7)).toEqual([[1], [2, 3, 4]]);
  });
});

describe.each(['sqlite', 'postgres'] as const)('a batch of messages on %s (one transaction, one STORE)', (kind) => {
  let env: MailEnv;
  beforeAll(async () => {
    env = await startMailEnv(kind);
    await env.configure();
  }, 60_000);
  afterAll(() => env?.dispose());

  it('a message that cannot be committed stays unseen and is retried; the rest of its batch comes in, a reply to an earlier message of the same batch included, and a repeat stays one ticket', { timeout: 60_000 }, async () => {
    const db = env.server.services.database.db;
    // A real database failure for one message: a trigger refuses its ticket.
    if (kind === 'sqlite') await sql`create trigger poison before insert on tickets when new.subject = 'Poison' begin select raise(abort, 'poisoned'); end`.execute(db);
    else {
      await sql`create function poison() returns trigger as $$ begin if new.subject = 'Poison' then raise exception 'poisoned'; end if; return new; end $$ language plpgsql`.execute(db);
      await sql`create trigger poison before insert on tickets for each row execute function poison()`.execute(db);
    }
    await env.server.services.mailFetcher.stop();
    await env.send(mail({ from: 'rita@example.test', subject: 'First of the batch', messageId: 'b1@customer.example' }));
    await env.send(mail({ from: 'bob@example.test', subject: 'Poison', messageId: 'b2@customer.example' }));
    await env.send(mail({ from: 'carol@example.test', subject: 'Third', messageId: 'b3@customer.example' }));
    await env.send(mail({ from: 'carol@example.test', subject: 'Third', messageId: 'b3@customer.example' }));
    await env.send(mail({ from: 'rita@example.test', subject: 'Re: First of the batch', messageId: 'b5@customer.example', inReplyTo: 'b1@customer.example', references: '<b1@customer.example>', body: 'Adding a detail.' }));
    await env.server.services.mailFetcher.start();

    const first = await waitFor(async () => (await env.tickets()).find((t) => t.subject === 'First of the batch'), 15_000, 'the first ticket');
    await waitFor(async () => (await env.comments(first.id)).some((c) => c.body.includes('Adding a detail')), 15_000, 'the reply as a comment');
    const flags = await waitFor(async () => {
      const m = await env.dovecot.messages('support');
      return m.filter((x) => x.flags.includes('\\Seen')).length === 4 ? m : null;
    }, 15_000, 'four messages seen');
    expect(flags.find((m) => m.source.includes('Subject: Poison'))!.flags).not.toContain('\\Seen');
    const tickets = await env.tickets();
    expect(tickets.filter((t) => t.subject === 'Third')).toHaveLength(1);
    expect(tickets.some((t) => t.subject === 'Poison')).toBe(false);
    expect(tickets.some((t) => t.subject === 'Re: First of the batch')).toBe(false);

    await sql`drop trigger poison ${sql.raw(kind === 'postgres' ? 'on tickets' : '')}`.execute(db);
    // Its earlier failures are forgotten with a new connection: the message comes in once the cause is gone.
    await env.server.services.mailFetcher.stop();
    await env.server.services.mailFetcher.start();
    await waitFor(async () => (await env.tickets()).find((t) => t.subject === 'Poison'), 15_000, 'the poisoned message after the fix');
    await waitFor(async () => (await env.dovecot.messages('support')).every((m) => m.flags.includes('\\Seen')), 15_000, 'every message seen');
  });
});
