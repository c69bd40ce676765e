import { rmSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mail, startMailEnv, waitFor, type MailEnv } from '../../test-support/mail-fixture';

const ACK = 'Hello {{requester.name}}, we got your message; ticket {{ticket.number}} ({{queue.name}}).';

describe('inbound robustness (Dovecot, SQLite)', () => {
  let env: MailEnv;
  beforeAll(async () => {
    env = await startMailEnv('sqlite');
    await env.configure({ acknowledgement: { enabled: true, template: ACK }, maxMessageBytes: 64 * 1024 });
  }, 60_000);
  afterAll(() => env?.dispose());

  const ticketBy = (subject: string) => waitFor(async () => (await env.tickets()).find((t) => t.subject === subject), 15_000, `ticket "${subject}"`);
  const allSeen = () => waitFor(async () => (await env.dovecot.messages('support')).every((m) => m.flags.includes('\\Seen')), 15_000, 'every message seen');

  it('a new ticket gets the acknowledgement (auto-submitted); auto-replies, list mail and bounces never get one and never reopen', async () => {
    await env.send(mail({ from: 'Bob Builder <bob@example.test>', subject: 'Door badge broken', messageId: 'badge@customer.example' }));
    const ticket = await ticketBy('Door badge broken');
    const ack = await waitFor(async () => (await env.dovecot.messages('bob')).at(0), 15_000, 'the acknowledgement');
    expect(ack.source).toContain(`Hello Bob Builder, we got your message; ticket ${ticket.number}`);
    expect(ack.source).toMatch(/^Auto-Submitted: auto-replied/im);
    expect(ack.source).toMatch(/^In-Reply-To: <badge@customer\.example>/im);

    await env.send(mail({ from: 'carol@example.test', subject: 'Out of office', messageId: 'ooo@customer.example', headers: { 'Auto-Submitted': 'auto-replied' } }));
    await env.send(mail({ from: 'carol@example.test', subject: 'Weekly newsletter', messageId: 'news@list.example', headers: { Precedence: 'bulk', 'List-Id': '<news.list.example>' } }));
    await env.send(mail({ from: 'carol@example.test', subject: 'Autoresponder', messageId: 'xauto@customer.example', headers: { 'X-Autoreply': 'yes' } }));
    for (const s of ['Out of office', 'Weekly newsletter', 'Autoresponder']) expect((await ticketBy(s)).tags).toContain('auto-reply');
    await allSeen();

    // A bounce (RFC 3464 report) for our acknowledgement threads to the ticket as an internal note.
    const current = await env.server.api('GET', `/api/v1/tickets/${ticket.id}`, { token: env.agent.accessToken });
    await env.server.api('PATCH', `/api/v1/tickets/${ticket.id}`, { token: env.agent.accessToken, body: { status: 'open', version: current.body.version } });
    const now = await env.server.api('GET', `/api/v1/tickets/${ticket.id}`, { token: env.agent.accessToken });
    await env.server.api('PATCH', `/api/v1/tickets/${ticket.id}`, { token: env.agent.accessToken, body: { status: 'resolved', version: now.body.version } });
    const ackId = /^Message-ID:\s*<([^>]+)>/im.exec(ack.source)![1]!;
    const bounce = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.example.test>',
      'To: support@example.test',
      'Subject: Undelivered Mail Returned to Sender',
      'Message-ID: <bounce1@mx.example.test>',
      `In-Reply-To: <${ackId}>`,
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'The mail system could not deliver your message.',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Status: 5.1.1',
      '--b1--',
      '',
    ].join('\n');
    await env.send(bounce);
    const note = await waitFor(async () => (await env.comments(ticket.id)).find((c) => c.body.includes('could not deliver')), 15_000, 'the bounce note');
    expect(note.visibility).toBe('internal');
    expect((await env.server.api('GET', `/api/v1/tickets/${ticket.id}`, { token: env.agent.accessToken })).body.status).toBe('resolved');
    // Only the one acknowledgement ever left: none for the robots, none for the bounce.
    await new Promise((r) => setTimeout(r, 1000));
    expect(env.relay.accepted).toHaveLength(1);
    expect(await env.dovecot.messages('carol')).toHaveLength(0);
  });

  it('an oversized message is refused with a clear note on its ticket; malformed MIME is kept raw and flagged, and the next message still comes in', async () => {
    await env.send(mail({ from: 'rita@example.test', subject: 'Huge scan', messageId: 'huge@customer.example', body: 'x'.repeat(100 * 1024) }));
    const huge = await ticketBy('Huge scan');
    expect(huge.description).toMatch(/refused: it is 10\d KB, larger than the mailbox limit of 64 KB/);
    expect(huge.tags).toContain('oversized-mail');
    const broken = ['From: rita@example.test', 'To: support@example.test', 'Subject: Broken MIME', 'Message-ID: <broken@customer.example>', 'Content-Type: multipart/mixed; boundary="nope"', '', 'this body never uses its boundary', ''].join('\n');
    await env.send(broken);
    await env.send(mail({ from: 'rita@example.test', subject: 'After the broken one', messageId: 'after@customer.example' }));
    const bad = await ticketBy('Broken MIME');
    expect(bad.tags).toContain('malformed-mime');
    expect(bad.description).toContain('kept raw below');
    expect(bad.description).toContain('this body never uses its boundary');
    const kept = await env.server.services.database.db.selectFrom('mail_messages').select(['raw', 'flags']).where('message_id', '=', 'broken@customer.example').executeTakeFirstOrThrow();
    expect(kept.raw).toContain('boundary="nope"');
    expect(JSON.parse(kept.flags)).toContain('malformed');
    await ticketBy('After the broken one');
    await allSeen();
  });

  it('charsets: ISO-8859-1 quoted-printable, UTF-8 base64 and encoded-word subjects come out right; HTML is sanitized', async () => {
    await env.send(['From: =?ISO-8859-1?Q?Andr=E9_M=FCller?= <carol@example.test>', 'To: support@example.test', 'Subject: =?ISO-8859-1?Q?Caf=E9_machine_d=E9fectueuse?=', 'Message-ID: <latin1@customer.example>', 'Content-Type: text/plain; charset=ISO-8859-1', 'Content-Transfer-Encoding: quoted-printable', '', 'La machine =E0 caf=E9 est en panne. Gr=FC=DFe', ''].join('\n'));
    const latin = await ticketBy('Café machine défectueuse');
    expect(latin.requester.name).toBe('André Müller');
    expect(latin.description).toContain('La machine à café est en panne. Grüße');
    const utf8 = Buffer.from('Привет, 日本語 ✓').toString('base64');
    await env.send(['From: carol@example.test', 'To: support@example.test', 'Subject: =?UTF-8?B?' + Buffer.from('Ünïcödé ✓ subject').toString('base64') + '?=', 'Message-ID: <utf8@customer.example>', 'Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: base64', '', utf8, ''].join('\n'));
    const u = await ticketBy('Ünïcödé ✓ subject');
    expect(u.description).toBe('Привет, 日本語 ✓');

    const html = '<p>Hi <b>team</b></p><script>alert(1)</script><img src="https://tracker.example/p.gif" onerror="alert(2)"><a href="javascript:alert(3)">x</a><a href="https://ok.example/">ok</a>';
    await env.send(mail({ from: 'carol@example.test', subject: `Re: [#${latin.number}] Café`, messageId: 'html@customer.example', headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: html }));
    const c = await waitFor(async () => (await env.comments(latin.id)).find((x) => x.source === 'email'), 15_000, 'the HTML reply');
    expect(c.html).toContain('<b>team</b>');
    expect(c.html).toContain('href="https://ok.example/"');
    for (const bad of ['<script', 'alert(', 'onerror', '<img', 'javascript:']) expect(c.html).not.toContain(bad);
    expect(c.body).toContain('Hi team');
  });

  it('a failed send shows the server\'s answer and is retried: temporary errors back off, a permanent one waits for the agent; never a duplicate', async () => {
    await env.send(mail({ from: 'mallory@example.test', subject: 'Retry me', messageId: 'retry@customer.example' }));
    const ticket = await ticketBy('Retry me');
    await waitFor(async () => (await env.dovecot.messages('mallory')).length === 1, 15_000, 'the ack');
    env.relay.failNext(1, 451, 'Greylisted, try again later');
    const reply = await env.server.api('POST', `/api/v1/tickets/${ticket.id}/comments`, { token: env.agent.accessToken, body: { body: 'Answer that must survive a greylist', visibility: 'public' } });
    const delivered = await waitFor(async () => {
      const d = (await env.comments(ticket.id)).find((c) => c.id === reply.body.id)?.delivery;
      return d?.state === 'sent' ? d : null;
    }, 20_000, 'sent after the retry');
    expect(delivered.attempts).toBe(2);

    env.relay.failNext(1, 550, 'Mailbox unavailable');
    const second = await env.server.api('POST', `/api/v1/tickets/${ticket.id}/comments`, { token: env.agent.accessToken, body: { body: 'Second answer', visibility: 'public' } });
    const failed = await waitFor(async () => {
      const d = (await env.comments(ticket.id)).find((c) => c.id === second.body.id)?.delivery;
      return d?.state === 'failed' ? d : null;
    }, 15_000, 'a permanent failure');
    expect(failed.error).toContain('Mailbox unavailable');
    const retried = await env.server.api('POST', `/api/v1/tickets/${ticket.id}/comments/${second.body.id}/delivery/retry`, { token: env.agent.accessToken });
    expect(retried.status).toBe(200);
    await waitFor(async () => (await env.comments(ticket.id)).find((c) => c.id === second.body.id)?.delivery?.state === 'sent', 15_000, 'sent after the manual retry');
    const again = await env.server.api('POST', `/api/v1/tickets/${ticket.id}/comments/${second.body.id}/delivery/retry`, { token: env.agent.accessToken });
    expect(again.status).toBe(409);
    const inbox = await env.dovecot.messages('mallory');
    expect(inbox.filter((m) => m.source.includes('Answer that must survive'))).toHaveLength(1);
    expect(inbox.filter((m) => m.source.includes('Second answer'))).toHaveLength(1);
  });

  it('a UIDVALIDITY change is noticed: the folder is rescanned, committed messages are not duplicated, new ones come in', async () => {
    await env.server.services.mailFetcher.stop();
    const before = (await env.tickets()).length;
    const stored = await env.server.services.database.db.selectFrom('queue_mailboxes').select('uid_validity').executeTakeFirstOrThrow();
    // Dovecot renumbers a maildir whose uidlist and indexes are gone: a new UIDVALIDITY, and every message unseen again would be the worst case.
    const maildir = path.join(env.dovecot.dir, 'mail', 'support', 'Maildir');
    for (const f of readdirSync(maildir)) if (f.startsWith('dovecot')) rmSync(path.join(maildir, f), { recursive: true, force: true });
    const c = await env.dovecot.client('support');
    try {
      await c.mailboxOpen('INBOX');
      await c.messageFlagsRemove('1:*', ['\\Seen']);
    } finally {
      await c.logout();
    }
    await env.send(mail({ from: 'bob@example.test', subject: 'After renumbering', messageId: 'renumber@customer.example' }));
    await env.server.services.mailFetcher.start();
    await ticketBy('After renumbering');
    await allSeen();
    const after = await env.server.services.database.db.selectFrom('queue_mailboxes').select('uid_validity').executeTakeFirstOrThrow();
    expect(after.uid_validity).not.toBe(stored.uid_validity);
    expect((await env.tickets()).length).toBe(before + 1);
  });
});

describe('a server without IDLE is polled', () => {
  let env: MailEnv;
  beforeAll(async () => {
    env = await startMailEnv('sqlite', { MAIL_POLL_SECONDS: '5' }, { noIdle: true });
    await env.configure();
  }, 60_000);
  afterAll(() => env?.dispose());

  it('reports polling and still picks up new mail', async () => {
    await waitFor(async () => (await env.server.api('GET', `/api/v1/queues/${env.queueId}/mailbox`, { token: env.admin.accessToken })).body.mode === 'poll', 15_000, 'poll mode');
    await env.send(mail({ from: 'rita@example.test', subject: 'Polled in', messageId: 'polled@customer.example' }));
    await waitFor(async () => (await env.tickets()).find((t) => t.subject === 'Polled in'), 20_000, 'the polled ticket');
  });
});
