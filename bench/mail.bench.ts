import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import MailComposer from 'nodemailer/lib/mail-composer';
import nodemailer from 'nodemailer';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { startServer } from '../backend/src/app/server';
import { loadConfig } from '../backend/src/platform/config/secrets';
import { MAIL_PASSWORD, startDovecot } from '../backend/test-support/dovecot';
import { makeApiCaller } from '../backend/test-support/harness';
import { table } from './lib/measure';

/**
 * `npx tsx bench/mail.bench.ts` (issue 13): a Dovecot mailbox of 5,000 messages (mixed sizes, 10 %
 * with an attachment, 20 % replies to earlier ones) turned into tickets and comments by the real
 * fetcher, beside the bare floor (imapflow fetch + mailparser parse of the same mailbox, no
 * database); then 1,000 public replies queued through the API until an SMTP server accepted each,
 * beside nodemailer sending 1,000 messages straight to the same server. CPU per message is this
 * process's (server and bench: the peer runs here too); Dovecot's is not counted on either side.
 */
const MESSAGES = Number(process.env.BENCH_MAIL_MESSAGES ?? 5000);
const REPLIES = Number(process.env.BENCH_MAIL_REPLIES ?? 1000);
const rows: Record<string, string | number>[] = [];
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

function message(i: number): Promise<Buffer> {
  const reply = i % 5 === 4 && i > 10;
  const size = [200, 2_000, 20_000][i % 3]!;
  return new MailComposer({
    from: `Customer ${i % 400} <c${i % 400}@customer.example>`, to: 'support@example.test', messageId: `<m${i}@customer.example>`,
    subject: reply ? `Re: Problem ${i - 4}` : `Problem ${i}`, ...(reply && { inReplyTo: `<m${i - 4}@customer.example>`, references: [`<m${i - 4}@customer.example>`] }),
    text: `Message ${i}. ${'lorem ipsum dolor sit amet '.repeat(size / 27)}`,
    ...(i % 10 === 3 && { attachments: [{ filename: `screenshot-${i}.png`, content: Buffer.alloc(50_000, i % 251), contentType: 'image/png' }] }),
  }).compile().build();
}

/** The accepting SMTP server: records when each message (by its marker) was accepted. */
async function smtpSink(): Promise<{ port: number; acceptedAt: Map<string, number>; close(): Promise<void> }> {
  const acceptedAt = new Map<string, number>();
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'], authOptional: true, logger: false,
    onData(stream, _session, callback) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString('latin1')));
      stream.on('end', () => {
        const marker = /bench-(?:reply|peer)-\d+/.exec(raw)?.[0];
        if (marker) acceptedAt.set(marker, Date.now());
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.server.address() as AddressInfo).port, acceptedAt, close: () => new Promise((r) => server.close(() => r())) };
}

async function main(): Promise<void> {
  const dovecot = await startDovecot(['support', 'peer']);
  const sink = await smtpSink();
  const t0 = Date.now();
  for (let i = 0; i < MESSAGES; i++) {
    const raw = await message(i);
    await dovecot.deliver('support', raw);
    await dovecot.deliver('peer', raw);
  }
  console.log(`filled two mailboxes with ${MESSAGES} messages each in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

  // Peer: the floor of any IMAP ingester — fetch and parse every message, store nothing.
  const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const u = process.cpuUsage(since);
    return (u.user + u.system) / 1000;
  };
  const loadAtPeer = load();
  const peerStart = Date.now();
  const peerCpu = process.cpuUsage();
  const client = new ImapFlow({ host: dovecot.host, port: dovecot.imapPort, secure: false, auth: { user: 'peer', pass: MAIL_PASSWORD }, logger: false });
  await client.connect();
  const lock = await client.getMailboxLock('INBOX');
  let parsed = 0;
  for await (const m of client.fetch('1:*', { source: true })) {
    await simpleParser(m.source!);
    parsed++;
  }
  lock.release();
  await client.logout();
  const peerRate = parsed / ((Date.now() - peerStart) / 1000);
  const peerCpuPerMsg = cpuMs(peerCpu) / parsed;

  // OpsDesk: the real fetcher (IDLE, batches of messages per transaction), to tickets and comments.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'opsdesk-bench-mail-'));
  const config = loadConfig({ ...process.env, DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'silent', MONITORING_LOOPS: 'false', OPS_SCHEDULERS: 'false', MAIL_POLL_SECONDS: '5', ATTACHMENT_MAX_BYTES: String(10 * 1024 * 1024) });
  const server = await startServer(config);
  const api = makeApiCaller(server.url);
  await server.services.userService.create({ id: null, email: 'bench', ip: null }, { email: 'b@example.com', password: 'correct-horse-battery-9', name: 'B', role: 'admin' });
  const token = (await api('POST', '/api/v1/auth/login', { body: { email: 'b@example.com', password: 'correct-horse-battery-9' } })).body.accessToken as string;
  const queue = (await api('POST', '/api/v1/queues', { token, body: { name: 'Support', memberIds: [] } })).body as { id: string };
  const rssBefore = process.memoryUsage().rss;
  let peakRss = 0;
  const loadAtIngest = load();
  const ingestCpu = process.cpuUsage();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const db = server.services.database.db;
  const ingestStart = Date.now();
  const box = await api('PUT', `/api/v1/queues/${queue.id}/mailbox`, {
    token,
    body: { address: 'support@example.test', imap: { host: dovecot.host, port: dovecot.imapPort, tls: false, user: 'support', password: MAIL_PASSWORD, folder: 'INBOX' }, smtp: { host: '127.0.0.1', port: sink.port, tls: false, auth: false } },
  });
  if (box.status !== 200) throw new Error(`mailbox: ${box.status} ${JSON.stringify(box.body)}`);
  for (;;) {
    const n = Number((await db.selectFrom('mail_messages').select((eb) => eb.fn.countAll().as('n')).where('direction', '=', 'in').executeTakeFirstOrThrow()).n);
    if (n >= MESSAGES) break;
    if (Date.now() - ingestStart > 30 * 60_000) throw new Error(`only ${n} of ${MESSAGES} messages ingested after 30 min`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const ingestSeconds = (Date.now() - ingestStart) / 1000;
  const ingestCpuPerMsg = cpuMs(ingestCpu) / MESSAGES;
  clearInterval(sampler);
  const tickets = Number((await db.selectFrom('tickets').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const comments = Number((await db.selectFrom('ticket_comments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const files = Number((await db.selectFrom('attachments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  rows.push({ measure: `inbound: ${MESSAGES} messages → tickets + comments (msg/s)`, opsdesk: MESSAGES / ingestSeconds, peer: peerRate, note: `peer = imapflow fetch + mailparser, no storage; ${tickets} tickets, ${comments} comments, ${files} attachments` });
  rows.push({ measure: 'inbound: CPU per message (ms, this process)', opsdesk: ingestCpuPerMsg, peer: peerCpuPerMsg, note: `load average at the peer ${loadAtPeer}, at the ingest ${loadAtIngest}` });
  rows.push({ measure: 'inbound: peak RSS (MiB, server + bench in one process)', opsdesk: peakRss / 1048576, peer: '', note: `${(rssBefore / 1048576).toFixed(0)} MiB when the ingest began (after filling and the peer)` });

  // Outbound: 1,000 public replies queued through the API until the SMTP server accepted each.
  const ids = (await db.selectFrom('tickets').select('id').orderBy('number').limit(REPLIES).execute()).map((r) => r.id);
  const queuedAt = new Map<string, number>();
  const loadAtOutbound = load();
  const outCpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      for (let i = w; i < ids.length; i += 8) {
        const marker = `bench-reply-${i}`;
        queuedAt.set(marker, Date.now());
        const res = await api('POST', `/api/v1/tickets/${ids[i]}/comments`, { token, body: { body: `Thanks, we are on it (${marker}).`, visibility: 'public' } });
        if (res.status !== 201) throw new Error(`reply: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }),
  );
  const queuedIn = (Date.now() - Math.min(...queuedAt.values())) / 1000;
  const outDeadline = Date.now() + 10 * 60_000;
  while ([...queuedAt.keys()].some((k) => !sink.acceptedAt.has(k))) {
    if (Date.now() > outDeadline) throw new Error('not every reply was accepted within 10 min');
    await new Promise((r) => setTimeout(r, 50));
  }
  const ours = [...queuedAt].map(([k, at]) => sink.acceptedAt.get(k)! - at);
  const outCpuPerReply = cpuMs(outCpu) / REPLIES;
  const acceptedIn = (Math.max(...[...queuedAt.keys()].map((k) => sink.acceptedAt.get(k)!)) - Math.min(...queuedAt.values())) / 1000;

  // Peer: nodemailer straight to the same SMTP server (a pooled transport, no queue, no database).
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sink.port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1 });
  const peer: number[] = [];
  for (let i = 0; i < REPLIES; i++) {
    const at = Date.now();
    await transport.sendMail({ from: 'support@example.test', to: 'c1@customer.example', subject: 'Re: [#1] Problem', text: `Thanks (bench-peer-${i}).` });
    peer.push(Date.now() - at);
  }
  transport.close();
  rows.push({ measure: `outbound: ${REPLIES} replies queued → accepted, p50 (ms)`, opsdesk: pct(ours, 50), peer: pct(peer, 50), note: `peer = nodemailer sendMail in sequence; the replies were queued (8 API clients) within ${queuedIn.toFixed(1)} s, the last accepted after ${acceptedIn.toFixed(1)} s` });
  rows.push({ measure: `outbound: ${REPLIES} replies queued → accepted, p99 (ms)`, opsdesk: pct(ours, 99), peer: pct(peer, 99), note: `load average ${loadAtOutbound}; MAIL_SEND_CONCURRENCY ${config.MAIL_SEND_CONCURRENCY}` });
  rows.push({ measure: 'outbound: CPU per reply (ms, API call + queue + send, this process)', opsdesk: outCpuPerReply, peer: '', note: '' });

  table(rows);
  await server.stop();
  await sink.close();
  await dovecot.stop();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
