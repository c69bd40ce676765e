import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIL_PASSWORD } from '../../test-support/dovecot';
import { mail, QUEUE_ADDRESS, startMailEnv, waitFor, type MailEnv } from '../../test-support/mail-fixture';

const header = (raw: string, name: string) => new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(raw)?.[1]?.replace(/\r?\n[ \t]+/g, ' ').trim() ?? null;

describe.each(['sqlite', 'postgres'] as const)('the email loop on %s (Dovecot IMAP + LMTP, SMTP relay)', (kind) => {
  let env: MailEnv;
  beforeAll(async () => {
    env = await startMailEnv(kind);
    await env.configure();
  }, 60_000);
  afterAll(() => env?.dispose());

  it('a new email becomes a ticket with the sender as requester, marked seen only after the commit; IDLE is used', async () => {
    await env.send(mail({ from: 'Rita Requester <rita@example.test>', cc: 'carol@example.test', subject: 'VPN drops every hour', messageId: 'first@customer.example' }));
    const ticket = await waitFor(async () => (await env.tickets()).find((t) => t.subject === 'VPN drops every hour'), 15_000, 'the ticket');
    expect(ticket.requester).toEqual({ name: 'Rita Requester', email: 'rita@example.test' });
    expect(ticket.source).toBe('email');
    expect(ticket.cc).toEqual(['carol@example.test']);
    expect(ticket.description).toContain('something is broken');
    await waitFor(async () => (await env.dovecot.messages('support')).every((m) => m.flags.includes('\\Seen')), 10_000, 'the \\Seen flag');
    const box = await env.server.api('GET', `/api/v1/queues/${env.queueId}/mailbox`, { token: env.admin.accessToken });
    expect(box.body.mode).toBe('idle');
  });

  it('a public reply reaches the requester and the CC with threading headers; an internal note never leaves; the requester answers and the resolved ticket reopens', async () => {
    const ticket = (await env.tickets()).find((t) => t.subject === 'VPN drops every hour')!;
    const note = await env.server.api('POST', `/api/v1/tickets/${ticket.id}/comments`, { token: env.agent.accessToken, body: { body: 'INTERNAL: the customer is on the old client', visibility: 'internal' } });
    expect(note.body.delivery).toBeNull();
    const reply = await env.server.api('POST', `/api/v1/tickets/${ticket.id}/comments`, { token: env.agent.accessToken, body: { body: 'Please update your VPN client to 5.2.', visibility: 'public' } });
    expect(reply.status).toBe(201);
    expect(reply.body.delivery.state).toBe('queued');
    const inbox = await waitFor(async () => {
      const m = await env.dovecot.messages('rita');
      return m.length ? m : null;
    }, 15_000, "rita's mailbox");
    expect(inbox).toHaveLength(1);
    const raw = inbox[0]!.source;
    expect(header(raw, 'Subject')).toBe(`Re: [#${ticket.number}] VPN drops every hour`);
    expect(header(raw, 'From')).toContain(QUEUE_ADDRESS);
    expect(header(raw, 'In-Reply-To')).toBe('<first@customer.example>');
    expect(header(raw, 'References')).toContain('<first@customer.example>');
    const sentId = header(raw, 'Message-ID')!;
    expect(sentId).toMatch(/^<opsdesk\.\d+\..+@example\.test>$/);
    expect(raw).toContain('Please update your VPN client to 5.2.');
    expect(raw).not.toContain('INTERNAL');
    expect(await env.dovecot.messages('carol')).toHaveLength(1);
    const comments = await waitFor(async () => {
      const c = await env.comments(ticket.id);
      return c.find((x) => x.id === reply.body.id)?.delivery?.state === 'sent' ? c : null;
    }, 10_000, 'delivery state sent');
    expect(comments.find((c) => c.id === note.body.id)!.delivery).toBeNull();
    // Nothing with the note's text went anywhere.
    expect(env.relay.accepted.some((m) => m.raw.includes('INTERNAL'))).toBe(false);

    const current = await env.server.api('GET', `/api/v1/tickets/${ticket.id}`, { token: env.agent.accessToken });
    const resolved = await env.server.api('PATCH', `/api/v1/tickets/${ticket.id}`, { token: env.agent.accessToken, body: { status: 'resolved', version: current.body.version } });
    expect(resolved.body.status).toBe('resolved');
    await env.send(mail({ from: 'Rita Requester <rita@example.test>', subject: `Re: [#${ticket.number}] VPN drops every hour`, messageId: 'answer@customer.example', inReplyTo: sentId.slice(1, -1), references: `<first@customer.example> ${sentId}`, body: 'Still dropping after the update.' }));
    const reopened = await waitFor(async () => {
      const t = (await env.tickets()).find((x) => x.id === ticket.id);
      return t?.status === 'open' ? t : null;
    }, 15_000, 'the ticket to reopen');
    expect(reopened.status).toBe('open');
    const after = await env.comments(ticket.id);
    const answer = after.find((c) => c.body.includes('Still dropping'))!;
    expect(answer).toMatchObject({ visibility: 'public', source: 'email', authorEmail: 'rita@example.test', authorId: null, delivery: null });
    expect((await env.tickets()).filter((t) => t.subject.includes('VPN'))).toHaveLength(1);
  });

  it('a [#1234] subject tag threads a reply without headers from the requester; from a stranger it opens a new ticket', async () => {
    const ticket = (await env.tickets()).find((t) => t.subject === 'VPN drops every hour')!;
    await env.send(mail({ from: 'rita@example.test', subject: `Fwd: [#${ticket.number}] more logs`, messageId: 'tagged@customer.example', body: 'Logs attached inline.' }));
    await env.send(mail({ from: 'mallory@example.test', subject: `[#${ticket.number}] let me in`, messageId: 'stranger@evil.example', body: 'I am not the requester.' }));
    await waitFor(async () => (await env.comments(ticket.id)).some((c) => c.body.includes('Logs attached inline')), 15_000, 'the tagged reply');
    const stranger = await waitFor(async () => (await env.tickets()).find((t) => t.requester.email === 'mallory@example.test'), 15_000, "the stranger's ticket");
    expect(stranger.id).not.toBe(ticket.id);
    expect((await env.comments(ticket.id)).some((c) => c.body.includes('not the requester'))).toBe(false);
  });

  it('a message delivered twice (same Message-ID), or fetched again after it lost its \\Seen flag, stays one ticket', async () => {
    const raw = mail({ from: 'bob@example.test', subject: 'Printer offline', messageId: 'dup@customer.example' });
    await env.send(raw);
    await env.send(raw);
    await waitFor(async () => (await env.dovecot.messages('support')).every((m) => m.flags.includes('\\Seen')), 15_000, 'both copies seen');
    const c = await env.dovecot.client('support');
    try {
      await c.mailboxOpen('INBOX');
      await c.messageFlagsRemove('1:*', ['\\Seen']);
    } finally {
      await c.logout();
    }
    await waitFor(async () => (await env.dovecot.messages('support')).every((m) => m.flags.includes('\\Seen')), 15_000, 'every message seen again');
    expect((await env.tickets()).filter((t) => t.subject === 'Printer offline')).toHaveLength(1);
    expect((await env.tickets()).filter((t) => t.subject === 'VPN drops every hour')).toHaveLength(1);
  });
});

describe('mailbox credentials are admin-managed secrets', () => {
  let env: MailEnv;
  beforeAll(async () => {
    env = await startMailEnv('sqlite', { MAIL_FETCHER: 'false' });
  }, 60_000);
  afterAll(() => env?.dispose());

  it('the password is sealed at rest and never answered; agents cannot read or change mailboxes', async () => {
    await env.configure();
    const got = await env.server.api('GET', `/api/v1/queues/${env.queueId}/mailbox`, { token: env.admin.accessToken });
    expect(got.status).toBe(200);
    expect(got.body.imap.passwordSet).toBe(true);
    expect(JSON.stringify(got.body)).not.toContain(MAIL_PASSWORD);
    const list = await env.server.api('GET', '/api/v1/mailboxes', { token: env.admin.accessToken });
    expect(JSON.stringify(list.body)).not.toContain(MAIL_PASSWORD);
    const stored = await env.server.services.database.db.selectFrom('queue_mailboxes').select('imap_password').executeTakeFirstOrThrow();
    expect(stored.imap_password).not.toContain(MAIL_PASSWORD);
    expect(stored.imap_password.startsWith('v1:')).toBe(true);
    expect((await env.server.api('GET', `/api/v1/queues/${env.queueId}/mailbox`, { token: env.agent.accessToken })).status).toBe(403);
    const body = { address: 'x@example.test', imap: { host: '127.0.0.1', user: 'x', password: 'stolen-password' } };
    expect((await env.server.api('PUT', `/api/v1/queues/${env.queueId}/mailbox`, { token: env.agent.accessToken, body })).status).toBe(403);
    const audit = await env.server.api('GET', '/api/v1/audit?limit=50', { token: env.admin.accessToken });
    expect(JSON.stringify(audit.body)).not.toContain(MAIL_PASSWORD);
  });

  it('"test connection" reports each step: a good login opens the folder, a wrong password fails at login', async () => {
    const base = { address: QUEUE_ADDRESS, imap: { host: env.dovecot.host, port: env.dovecot.imapPort, tls: false, user: 'support', folder: 'INBOX' }, smtp: { host: env.relay.host, port: env.relay.port } };
    const ok = await env.server.api('POST', `/api/v1/queues/${env.queueId}/mailbox/test`, { token: env.admin.accessToken, body: base });
    expect(ok.status).toBe(200);
    expect(ok.body.ok).toBe(true);
    expect(ok.body.steps.map((s: { step: string }) => s.step)).toEqual(['connect', 'login', 'folder', 'smtp']);
    expect(ok.body.steps[2].message).toContain('IDLE offered');
    const bad = await env.server.api('POST', `/api/v1/queues/${env.queueId}/mailbox/test`, { token: env.admin.accessToken, body: { ...base, imap: { ...base.imap, password: 'wrong-password' } } });
    expect(bad.body.ok).toBe(false);
    expect(bad.body.steps.find((s: { step: string }) => s.step === 'login')).toMatchObject({ ok: false });
  });
});
