import MailComposer from 'nodemailer/lib/mail-composer';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '../../../shared/api/tickets';
import { createUserAndLogin } from '../../test-support/harness';
import { QUEUE_ADDRESS, startMailEnv, waitFor, type MailEnv } from '../../test-support/mail-fixture';

/** A real PNG (1×1), recognised by its magic bytes whatever its name says. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
/** The start of a Windows program (MZ header + PE signature). */
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from([0x40, 0, 0, 0]), Buffer.from('PE\0\0'), Buffer.alloc(200, 1)]);

async function composed(options: ConstructorParameters<typeof MailComposer>[0]): Promise<Buffer> {
  return new MailComposer(options).compile().build();
}

describe.each(['sqlite', 'postgres'] as const)('attachments on %s (Dovecot IMAP + LMTP, SMTP relay)', (kind) => {
  let env: MailEnv;
  let outsider: { accessToken: string };
  const download = (id: string, token: string) => fetch(`${env.server.url}/api/v1/attachments/${id}/content`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    env = await startMailEnv(kind, { ATTACHMENT_MAX_BYTES: String(64 * 1024) });
    await env.configure();
    outsider = await createUserAndLogin(env.server, { email: `outsider-${kind}@example.com`, password: 'a-long-test-password-1', role: 'agent' });
  }, 60_000);
  afterAll(() => env?.dispose());

  it('an email’s files are stored on its ticket with sniffed types; a program and an oversized file are refused with a note', async () => {
    await env.send(
      await composed({
        from: 'Rita Requester <rita@example.test>', to: QUEUE_ADDRESS, subject: 'Screenshot of the error', messageId: '<shot@customer.example>', text: 'See the screenshot.',
        attachments: [
          { filename: 'screen.txt', content: PNG, contentType: 'text/plain' },
          { filename: 'notes.txt', content: 'Größe: 3 Seiten\n', contentType: 'text/plain; charset=utf-8' },
          { filename: 'fix.exe', content: EXE, contentType: 'application/octet-stream' },
          { filename: 'huge.bin', content: Buffer.alloc(70 * 1024, 7), contentType: 'application/octet-stream' },
        ],
      }),
    );
    const ticket = await waitFor(async () => (await env.tickets()).find((t) => t.subject === 'Screenshot of the error'), 15_000, 'the ticket');
    expect(ticket.attachments.map((a) => [a.filename, a.contentType, a.size])).toEqual([
      ['screen.txt', 'image/png', PNG.length],
      ['notes.txt', 'text/plain', Buffer.byteLength('Größe: 3 Seiten\n')],
    ]);
    expect(ticket.description).toContain('fix.exe looks like a program');
    expect(ticket.description).toContain('huge.bin is 0.1 MB, larger than the limit');

    const res = await download(ticket.attachments[0]!.id, env.agent.accessToken);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="screen.txt"; filename*=UTF-8''screen.txt`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
    // Agents outside the queue, and nobody signed out, get nothing.
    expect((await download(ticket.attachments[0]!.id, outsider.accessToken)).status).toBe(404);
    expect((await fetch(`${env.server.url}/api/v1/attachments/${ticket.attachments[0]!.id}/content`)).status).toBe(401);
  });

  it('a reply with a file reaches the requester’s mailbox with it; HTML uploads are served as a plain download', async () => {
    const ticket = (await env.tickets()).find((t) => t.subject === 'Screenshot of the error')!;
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const reply = await env.server.api('POST', `/api/v1/tickets/${ticket.id}/comments`, {
      token: env.agent.accessToken,
      body: { body: 'Here is the patched config.', visibility: 'public', attachments: [{ filename: 'vpn.conf', data: Buffer.from('remote vpn.example 443\n').toString('base64') }, { filename: 'page.html', data: html.toString('base64') }] },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.attachments.map((a: { filename: string; contentType: string }) => a.filename)).toEqual(['vpn.conf', 'page.html']);
    const raw = await waitFor(async () => (await env.dovecot.messages('rita')).find((m) => m.source.includes('patched config'))?.source, 15_000, "rita's copy");
    const parsed = await simpleParser(raw);
    expect(parsed.attachments.map((a) => [a.filename, a.content.toString('utf8')])).toEqual([
      ['vpn.conf', 'remote vpn.example 443\n'],
      ['page.html', html.toString('utf8')],
    ]);
    const htmlFile = await download(reply.body.attachments[1].id, env.agent.accessToken);
    expect(htmlFile.headers.get('content-type')).not.toMatch(/html/);
    // The comment lists its files in the ticket's conversation.
    const comments = await env.comments(ticket.id);
    expect(comments.find((c) => c.id === reply.body.id)?.attachments).toHaveLength(2);
  });

  it('uploads from the app are checked: too large, a program, not base64, too many files', async () => {
    const base = { queueId: env.queueId, subject: 'With files', requester: { name: 'Bob', email: 'bob@example.test' } };
    const create = (attachments: unknown[]) => env.server.api<Ticket & { message?: string }>('POST', '/api/v1/tickets', { token: env.agent.accessToken, body: { ...base, attachments } });
    const ok = await create([{ filename: 'logo.png', data: PNG.toString('base64') }]);
    expect(ok.status).toBe(201);
    expect(ok.body.attachments).toMatchObject([{ filename: 'logo.png', contentType: 'image/png', size: PNG.length }]);
    const big = await create([{ filename: 'big.bin', data: Buffer.alloc(65 * 1024, 1).toString('base64') }]);
    expect(big.status).toBe(422);
    expect(big.body.message).toMatch(/big\.bin is 0\.1 MB, larger than the limit of 0\.1 MB/);
    const exe = await create([{ filename: 'setup.png', data: EXE.toString('base64') }]);
    expect(exe.status).toBe(422);
    expect(exe.body.message).toMatch(/looks like a program/);
    expect((await create([{ filename: 'x.txt', data: 'not base64!' }])).status).toBe(400);
    expect((await create(Array.from({ length: 11 }, (_, i) => ({ filename: `f${i}.txt`, data: 'aGk=' })))).status).toBe(400);
    expect((await create([{ filename: '../etc/passwd', data: 'aGk=' }])).status).toBe(400);
    // Nothing half-stored from the refused requests.
    const stored = await env.server.services.database.db.selectFrom('attachments').select('filename').execute();
    expect(stored.map((s) => s.filename)).not.toContain('big.bin');
  });
});
