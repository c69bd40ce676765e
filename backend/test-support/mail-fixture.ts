import type { Comment, Ticket } from '../../shared/api/tickets';
import { startDovecot, MAIL_PASSWORD, type Dovecot } from './dovecot';
import { createUserAndLogin, startTestServer, type DbKind, type TestServer } from './harness';
import { startSmtpRelay, type SmtpRelay } from './smtp-relay';

/** The mail users of every mail test: the queue's mailbox and a few customers. */
export const MAIL_USERS = ['support', 'rita', 'bob', 'carol', 'mallory'];
export const QUEUE_ADDRESS = 'support@example.test';

export interface MailEnv {
  server: TestServer;
  dovecot: Dovecot;
  relay: SmtpRelay;
  admin: { id: string; accessToken: string };
  agent: { id: string; accessToken: string };
  queueId: string;
  /** PUT the queue's mailbox with these overrides (the defaults point at the test Dovecot and relay). */
  configure(overrides?: Record<string, unknown>): Promise<void>;
  /** Delivers a raw message to the queue's mailbox (LMTP). */
  send(raw: string | Buffer): Promise<void>;
  tickets(): Promise<Ticket[]>;
  comments(ticketId: string): Promise<Comment[]>;
  dispose(): Promise<void>;
}

let n = 0;

export async function startMailEnv(kind: DbKind, env: Record<string, string> = {}, dovecotOptions: { noIdle?: boolean } = {}): Promise<MailEnv> {
  const dovecot = await startDovecot(MAIL_USERS, dovecotOptions);
  const relay = await startSmtpRelay(dovecot);
  const server = await startTestServer(kind, { env: { MAIL_POLL_SECONDS: '5', MAIL_RECONNECT_SECONDS: '1', MAIL_RETRY_BASE_SECONDS: '1', MONITORING_LOOPS: 'false', OPS_SCHEDULERS: 'false', ...env } });
  const i = n++;
  const admin = await createUserAndLogin(server, { email: `mail-admin${i}@example.com`, password: 'a-long-test-password-1', role: 'admin' });
  const agent = await createUserAndLogin(server, { email: `mail-agent${i}@example.com`, password: 'a-long-test-password-1', role: 'agent', name: 'Ada Agent' });
  const q = await server.api<{ id: string }>('POST', '/api/v1/queues', { token: admin.accessToken, body: { name: `Support ${i}`, memberIds: [agent.id] } });
  if (q.status !== 201) throw new Error(`queue: ${q.status} ${JSON.stringify(q.body)}`);
  const queueId = q.body.id;
  const call = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const res = await server.api<T>(method, url, { token: agent.accessToken, body });
    if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  return {
    server,
    dovecot,
    relay,
    admin,
    agent,
    queueId,
    async configure(overrides = {}) {
      const body = {
        address: QUEUE_ADDRESS,
        displayName: 'Example Support',
        imap: { host: dovecot.host, port: dovecot.imapPort, tls: false, user: 'support', password: MAIL_PASSWORD, folder: 'INBOX' },
        smtp: { host: relay.host, port: relay.port, tls: false, auth: false },
        ...overrides,
      };
      const res = await server.api('PUT', `/api/v1/queues/${queueId}/mailbox`, { token: admin.accessToken, body });
      if (res.status !== 200) throw new Error(`mailbox: ${res.status} ${JSON.stringify(res.body)}`);
    },
    send: (raw) => dovecot.deliver('support', raw),
    tickets: async () => (await call<{ items: Ticket[] }>('GET', `/api/v1/tickets?queue=${queueId}&limit=200`)).items,
    comments: (ticketId) => call<Comment[]>('GET', `/api/v1/tickets/${ticketId}/comments`),
    async dispose() {
      await server.dispose();
      await relay.close();
      await dovecot.stop();
    },
  };
}

/** Polls `probe` until it returns something truthy (or throws after `ms`). */
export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, ms = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** A plain RFC 5322 message (LF line ends; LMTP delivery converts them). */
export function mail(h: { from: string; subject: string; messageId: string; inReplyTo?: string; references?: string; headers?: Record<string, string>; body?: string; to?: string; cc?: string }): string {
  const lines = [
    `From: ${h.from}`,
    `To: ${h.to ?? `Support <${QUEUE_ADDRESS}>`}`,
    ...(h.cc ? [`Cc: ${h.cc}`] : []),
    `Subject: ${h.subject}`,
    `Message-ID: <${h.messageId}>`,
    `Date: Tue, 01 Dec 2026 10:00:00 +0000`,
    ...(h.inReplyTo ? [`In-Reply-To: <${h.inReplyTo}>`] : []),
    ...(h.references ? [`References: ${h.references}`] : []),
    ...Object.entries(h.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    ...(h.headers?.['Content-Type'] ? [] : ['Content-Type: text/plain; charset=utf-8']),
    '',
    h.body ?? 'Hello, something is broken.',
    '',
  ];
  return lines.join('\n');
}
