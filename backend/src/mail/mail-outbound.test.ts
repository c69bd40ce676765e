import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/harness';
import { startMailEnv, waitFor, type MailEnv } from '../../test-support/mail-fixture';

/** A real SMTP server that takes `holdMs` to accept each message: counts the messages it holds at once and each Message-ID it accepted. */
async function slowSink(holdMs: number) {
  const accepted = new Map<string, number>();
  let holding = 0;
  let maxHolding = 0;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    disableReverseLookup: true,
    onData(stream, _session, callback) {
      holding++;
      maxHolding = Math.max(maxHolding, holding);
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString('latin1')));
      stream.on('end', () => {
        setTimeout(() => {
          holding--;
          const id = /^Message-ID:\s*<([^>]+)>/im.exec(raw)?.[1] ?? 'none';
          accepted.set(id, (accepted.get(id) ?? 0) + 1);
          callback();
        }, holdMs);
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.server.address() as AddressInfo).port,
    accepted,
    maxHolding: () => maxHolding,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const REPLIES = 24;
const HOLD_MS = 250;

describe.each(['sqlite', 'postgres'] as const)('outbound mail on %s: bounded concurrency, claimed once', (kind) => {
  let env: MailEnv;
  let sink: Awaited<ReturnType<typeof slowSink>>;
  let second: TestServer | null = null;
  beforeAll(async () => {
    sink = await slowSink(HOLD_MS);
    env = await startMailEnv(kind, { MAIL_FETCHER: 'false', MAIL_SEND_CONCURRENCY: '4' });
    await env.configure({ smtp: { host: '127.0.0.1', port: sink.port, tls: false, auth: false } });
    // PostgreSQL: a second server on the same database sends from the same table.
    if (kind === 'postgres') second = await startTestServer('postgres', { env: { DATABASE_URL: env.server.config.DATABASE_URL, MAIL_FETCHER: 'false', MAIL_SEND_CONCURRENCY: '4', MONITORING_LOOPS: 'false', OPS_SCHEDULERS: 'false' } });
  }, 60_000);
  afterAll(async () => {
    await second?.dispose();
    await env?.dispose();
    await sink?.close();
  });

  it(`a burst of ${REPLIES} replies goes out several at a time (never more than the concurrency per server), each exactly once`, { timeout: 60_000 }, async () => {
    const started = Date.now();
    const replies = await Promise.all(
      Array.from({ length: REPLIES }, async (_, i) => {
        const t = await env.server.api<{ id: string }>('POST', '/api/v1/tickets', {
          token: env.agent.accessToken,
          body: { queueId: env.queueId, subject: `Burst ${i}`, description: 'Needs an answer', requester: { name: `R ${i}`, email: `r${i}@example.test` }, priority: 'medium', assigneeId: null, tags: [], attachments: [] },
        });
        expect(t.status).toBe(201);
        const c = await env.server.api<{ id: string; delivery: { state: string } }>('POST', `/api/v1/tickets/${t.body.id}/comments`, { token: env.agent.accessToken, body: { body: `Answer ${i}`, visibility: 'public' } });
        expect(c.status).toBe(201);
        return { ticketId: t.body.id, commentId: c.body.id };
      }),
    );
    // The other server looks for due mail at the same time as the one that queued it.
    if (second) await second.services.mailer.sendDue();
    const db = env.server.services.database.db;
    const rows = await waitFor(async () => {
      const r = await db.selectFrom('outbound_mail').select(['message_id', 'state', 'attempts']).where('kind', '=', 'reply').execute();
      return r.length === REPLIES && r.every((x) => x.state === 'sent') ? r : null;
    }, 45_000, 'every reply sent');
    const elapsed = Date.now() - started;
    for (const r of rows) {
      expect(sink.accepted.get(r.message_id)).toBe(1);
      expect(r.attempts).toBe(1);
    }
    expect(sink.accepted.size).toBe(REPLIES);
    expect(sink.maxHolding()).toBeGreaterThan(1);
    expect(sink.maxHolding()).toBeLessThanOrEqual(second ? 8 : 4);
    // One at a time would take REPLIES × HOLD_MS at least.
    expect(elapsed).toBeLessThan(REPLIES * HOLD_MS);
    const shown = await env.comments(replies[0]!.ticketId);
    expect(shown.find((c) => c.id === replies[0]!.commentId)?.delivery?.state).toBe('sent');
  });

  it('a reply queued while the sender is idle is sent at once, not at the next poll tick', { timeout: 30_000 }, async () => {
    // Let the 5 s loop and the burst's round finish, so that only the kick can start this one.
    await new Promise((r) => setTimeout(r, 300));
    const t = await env.server.api<{ id: string }>('POST', '/api/v1/tickets', {
      token: env.agent.accessToken,
      body: { queueId: env.queueId, subject: 'Single', description: 'One more', requester: { name: 'S', email: 's@example.test' }, priority: 'medium', assigneeId: null, tags: [], attachments: [] },
    });
    const queuedAt = Date.now();
    const c = await env.server.api<{ id: string }>('POST', `/api/v1/tickets/${t.body.id}/comments`, { token: env.agent.accessToken, body: { body: 'Right away', visibility: 'public' } });
    expect(c.status).toBe(201);
    const db = env.server.services.database.db;
    const row = await waitFor(async () => {
      const r = await db.selectFrom('outbound_mail').select(['state', 'sent_at']).where('comment_id', '=', c.body.id).executeTakeFirst();
      return r?.state === 'sent' ? r : null;
    }, 10_000, 'the reply sent');
    // The poll tick is 5 s; the hold is 250 ms.
    expect(Number(row.sent_at) - queuedAt).toBeLessThan(2500);
  });
});
