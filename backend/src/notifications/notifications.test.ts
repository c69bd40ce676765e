import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertNotification } from '../../../shared/api/alerts';
import { DATABASES, createUserAndLogin } from '../../test-support/harness';
import { startMonitoringServer, type MonitoringTestEnv, monitoringOf } from '../../test-support/monitoring';
import { startSmtp } from '../../test-support/smtp-capture';
import { testAlertsCommand } from './test-alerts-command';
import { LOOPBACK_WEBHOOKS, startReceiver, type Receiver } from '../../test-support/webhook-receivers';

/** Slack and the SMS gateway: a real receiver on 127.0.0.1 (allow-listed by LOOPBACK_WEBHOOKS). */
function startWebhook(status = 200): Promise<Receiver> {
  return startReceiver((_q, r) => r.writeHead(status).end(status === 200 ? 'ok' : 'nope'));
}

async function connect(url: string, token: string, events: string[]): Promise<{ socket: Socket; got: { type: string; event: any }[] }> {
  const got: { type: string; event: any }[] = [];
  const socket = io(url, { auth: { token }, transports: ['websocket'] });
  // A desktop confirms each alert.notify (the server counts the delivery as sent only then).
  for (const type of events) socket.on(type, (event: unknown, ack?: (r: unknown) => void) => (got.push({ type, event }), ack?.({ received: true })));
  await new Promise<void>((resolve, reject) => {
    socket.once('ready', () => resolve());
    socket.once('connect_error', reject);
  });
  return { socket, got };
}

describe.each(DATABASES)('notifications, escalation and silences on %s', (kind) => {
  let env: MonitoringTestEnv;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let slack: Awaited<ReturnType<typeof startWebhook>>;
  let sms: Awaited<ReturnType<typeof startWebhook>>;
  let live: Awaited<ReturnType<typeof connect>>;
  const fire = async (body: Record<string, unknown>) => {
    const res = await env.server.api('POST', '/api/v1/integrations/generic', { token: env.ingestToken, body });
    expect(res.status).toBe(200);
    await monitoringOf(env.server).idle();
    return res.body.ids[0] as string;
  };
  const deliveries = async (id: string) => (await env.server.api('GET', `/api/v1/alerts/${id}/deliveries`, { token: env.oncall.accessToken })).body as any[];

  beforeAll(async () => {
    [smtp, slack, sms] = await Promise.all([startSmtp(), startWebhook(), startWebhook()]);
    env = await startMonitoringServer(kind, { ...LOOPBACK_WEBHOOKS, SMTP_URL: smtp.url, SLACK_WEBHOOK_URL: slack.url, SMS_WEBHOOK_URL: sms.url, NOTIFY_TIMEOUT_MS: '2000' });
    const prefs = await env.server.api('PUT', '/api/v1/channels/preferences', {
      token: env.oncall.accessToken,
      body: { preferences: [{ channel: 'sms', enabled: true, address: null, minSeverity: 'critical' }] },
    });
    expect(prefs.status).toBe(200);
    // SMS goes only to a verified number: the code arrives through the SMS gateway itself.
    const added = await env.server.api('POST', '/api/v1/me/contact-methods', { token: env.oncall.accessToken, body: { kind: 'phone', address: '+1 555 0123' } });
    expect(added.status).toBe(201);
    const code = /code: (\d{6})/.exec(String(sms.posts.at(-1)?.message))![1];
    expect((await env.server.api('POST', `/api/v1/me/contact-methods/${added.body.id}/verify`, { token: env.oncall.accessToken, body: { code } })).body.verified).toBe(true);
    sms.posts.length = 0;
    live = await connect(env.server.url, env.oncall.accessToken, ['alert.notify', 'alert.changes']);
  });
  afterAll(async () => {
    live?.socket.disconnect();
    await env?.server.dispose();
    await Promise.all([smtp?.close(), slack?.close(), sms?.close()]);
  });

  it('routes a critical alert to desktop, email, Slack and SMS and records every delivery', async () => {
    const id = await fire({ name: 'Database down', severity: 'critical', summary: 'db-1 refuses connections', labels: { service: 'db' } });
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.to).toEqual(['oncall@example.com']);
    expect(smtp.mails[0]!.data).toContain('Subject: [CRITICAL] Database down: db-1 refuses connections');
    expect(slack.posts).toHaveLength(1);
    expect(slack.posts[0].text).toContain('[CRITICAL] Database down');
    expect(sms.posts).toEqual([expect.objectContaining({ to: '+15550123', severity: 'critical', alertId: id })]);
    await expect.poll(() => live.got.filter((g) => g.type === 'alert.notify').length).toBe(1);
    const popup = live.got.find((g) => g.type === 'alert.notify')!.event;
    expect(popup).toMatchObject({ type: 'alert.notify', seq: null, actor: null, at: env.clock.now() });
    expect(AlertNotification.parse(popup.data)).toMatchObject({ alertId: id, severity: 'critical', title: '[CRITICAL] Database down: db-1 refuses connections', alert: { id, status: 'firing' } });
    const d = await deliveries(id);
    expect(d.map((x) => `${x.channel}:${x.status}:${x.attempts}`).sort()).toEqual(['desktop:sent:1', 'email:sent:1', 'slack:sent:1', 'sms:sent:1']);
    expect(d.every((x) => x.escalationLevel === 0)).toBe(true);
  });

  it('test-alerts sends through every configured channel and prints each result', async () => {
    smtp.mails.length = 0;
    slack.posts.length = 0;
    sms.posts.length = 0;
    const lines: string[] = [];
    const code = await testAlertsCommand.run({ config: env.server.config, values: {}, positionals: [], out: (l) => lines.push(l), err: () => {}, stdin: async () => '' });
    expect(code).toBe(0);
    expect(lines.join('\n')).toMatch(/email +sent +oncall@example.com/);
    expect(lines.join('\n')).toMatch(/slack +sent/);
    expect(lines.join('\n')).toMatch(/sms +sent +\+15550123/);
    expect(smtp.mails.map((m) => m.to[0]).sort()).toEqual(['admin@example.com', 'oncall@example.com']);
    expect(slack.posts).toHaveLength(1);
    expect(sms.posts).toHaveLength(1);
  });

  it('routes by severity: a medium alert goes to desktop and Slack only; preferences are respected', async () => {
    smtp.mails.length = 0;
    slack.posts.length = 0;
    sms.posts.length = 0;
    const id = await fire({ name: 'Slow queries', severity: 'medium' });
    expect(smtp.mails).toHaveLength(0);
    expect(sms.posts).toHaveLength(0);
    expect(slack.posts).toHaveLength(1);
    expect((await deliveries(id)).map((x) => x.channel).sort()).toEqual(['desktop', 'slack']);
    // Turning desktop off for oneself stops the popups.
    await env.server.api('PUT', '/api/v1/channels/preferences', { token: env.oncall.accessToken, body: { preferences: [{ channel: 'desktop', enabled: false, address: null, minSeverity: 'low' }] } });
    const id2 = await fire({ name: 'Slow queries 2', severity: 'medium' });
    expect((await deliveries(id2)).map((x) => x.channel)).toEqual(['slack']);
    await env.server.api('PUT', '/api/v1/channels/preferences', { token: env.oncall.accessToken, body: { preferences: [{ channel: 'desktop', enabled: true, address: null, minSeverity: 'low' }] } });
  });

  it('escalates an unacknowledged alert at 30 and 60 minutes, and acknowledging stops it', async () => {
    const lead = await createUserAndLogin(env.server, { email: 'lead@example.com', password: 'quasar-lantern-4419', role: 'oncall', name: 'Lead' });
    const policy = await env.server.api('PUT', '/api/v1/escalation-policy', {
      token: env.admin.accessToken,
      body: {
        levels: [
          { name: 'On-call engineer', afterMinutes: 0, roles: ['oncall'] },
          { name: 'Team lead', afterMinutes: 30, userIds: [lead.id] },
          { name: 'Manager', afterMinutes: 60, roles: ['admin'] },
          { name: 'Director', afterMinutes: 120, roles: ['admin'] },
        ],
      },
    });
    expect(policy.status).toBe(200);
    const bad = await env.server.api('PUT', '/api/v1/escalation-policy', { token: env.admin.accessToken, body: { levels: [{ name: 'x', afterMinutes: 10, roles: [] }] } });
    expect(bad.status).toBe(400);

    // Earlier tests' alerts escalate too; only this alert's mails count here.
    await env.server.services.database.db.updateTable('alerts').set({ next_escalation_at: null }).execute();
    smtp.mails.length = 0;
    const mails = () => smtp.mails.filter((x) => x.data.includes('API down'));
    const m = monitoringOf(env.server);
    const id = await fire({ name: 'API down', severity: 'high' });
    expect(mails().map((x) => x.to[0]).sort()).toEqual(['lead@example.com', 'oncall@example.com']); // level 0: every on-call user
    env.clock.advance(29 * 60_000);
    await m.tick();
    await m.idle();
    expect(mails()).toHaveLength(2);
    env.clock.advance(60_000);
    await m.tick();
    await m.idle();
    expect(mails().map((x) => x.to[0])).toEqual([expect.any(String), expect.any(String), 'lead@example.com']);
    let alert = (await env.server.api('GET', `/api/v1/alerts/${id}`, { token: env.oncall.accessToken })).body;
    expect(alert.escalationLevel).toBe(1);
    expect(alert.nextEscalationAt).toBe(env.clock.now() + 30 * 60_000);

    const ack = await env.server.api('POST', `/api/v1/alerts/${id}/ack`, { token: lead.accessToken });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ status: 'acknowledged', acknowledgedBy: lead.id, acknowledgedAt: env.clock.now(), nextEscalationAt: null });
    env.clock.advance(120 * 60_000);
    await m.tick();
    await m.idle();
    expect(mails()).toHaveLength(3); // the manager never heard of it
    alert = (await env.server.api('GET', `/api/v1/alerts/${id}`, { token: env.oncall.accessToken })).body;
    expect(alert.escalationLevel).toBe(1);
    const note = await env.server.api('POST', `/api/v1/alerts/${id}/notes`, { token: lead.accessToken, body: { body: 'Restarted the API pods' } });
    expect(note.status).toBe(201);
    const resolved = await env.server.api('POST', `/api/v1/alerts/${id}/resolve`, { token: lead.accessToken, body: { reason: 'pods restarted' } });
    expect(resolved.body).toMatchObject({ status: 'resolved', resolvedBy: lead.id, resolveReason: 'pods restarted' });
    const detail = (await env.server.api('GET', `/api/v1/alerts/${id}`, { token: env.oncall.accessToken })).body;
    expect(detail.notes).toEqual([expect.objectContaining({ body: 'Restarted the API pods', authorId: lead.id })]);
    expect((await env.server.api('POST', `/api/v1/alerts/${id}/ack`, { token: lead.accessToken })).status).toBe(409);
  });

  it('silences: validated, matching alerts stay visible but are not notified until the silence expires', async () => {
    const now = env.clock.now();
    const badRegex = await env.server.api('POST', '/api/v1/silences', { token: env.oncall.accessToken, body: { matchers: [{ name: 'service', value: '(unclosed', isRegex: true }], endsAt: now + 3600_000, comment: 'x' } });
    expect(badRegex.status).toBe(422);
    expect(badRegex.body.message).toMatch(/invalid regular expression/);
    const backwards = await env.server.api('POST', '/api/v1/silences', { token: env.oncall.accessToken, body: { matchers: [{ name: 'service', value: 'db' }], startsAt: now + 7200_000, endsAt: now + 3600_000, comment: 'x' } });
    expect(backwards.status).toBe(422);
    expect(backwards.body.message).toMatch(/endsAt must be after startsAt/);
    expect((await env.server.api('GET', '/api/v1/silences', { token: env.oncall.accessToken })).body).toHaveLength(0);

    const silence = await env.server.api('POST', '/api/v1/silences', {
      token: env.oncall.accessToken,
      body: { matchers: [{ name: 'service', value: 'pay.*', isRegex: true }, { name: 'alertname', value: 'Payment errors' }], endsAt: now + 3600_000, comment: 'maintenance of the payment gateway' },
    });
    expect(silence.status).toBe(201);
    expect(silence.body).toMatchObject({ state: 'active', createdBy: env.oncall.id });

    smtp.mails.length = 0;
    slack.posts.length = 0;
    const id = await fire({ name: 'Payment errors', severity: 'critical', labels: { service: 'payments' } });
    const other = await fire({ name: 'Payment errors', severity: 'critical', labels: { service: 'billing' } });
    const visible = (await env.server.api('GET', '/api/v1/alerts?silenced=true&status=active', { token: env.oncall.accessToken })).body.items as any[];
    expect(visible.map((a) => a.id)).toEqual([id]);
    expect(visible[0]).toMatchObject({ status: 'firing', silenceId: silence.body.id });
    expect(await deliveries(id)).toHaveLength(0);
    expect((await deliveries(other)).length).toBeGreaterThan(0);

    env.clock.advance(3601_000);
    await monitoringOf(env.server).tick();
    await monitoringOf(env.server).idle();
    const after = (await env.server.api('GET', `/api/v1/alerts/${id}`, { token: env.oncall.accessToken })).body;
    expect(after).toMatchObject({ silenced: false, silenceId: null, escalationLevel: 0 });
    expect((await deliveries(id)).map((d) => d.channel)).toContain('email');
    expect((await env.server.api('GET', '/api/v1/silences?state=expired', { token: env.oncall.accessToken })).body).toHaveLength(1);

    // Expiring a silence by hand re-notifies at once.
    const s2 = await env.server.api('POST', '/api/v1/silences', { token: env.oncall.accessToken, body: { matchers: [{ name: 'service', value: 'search' }], endsAt: env.clock.now() + 3600_000, comment: 'reindex' } });
    const quiet = await fire({ name: 'Search lag', severity: 'high', labels: { service: 'search' } });
    expect(await deliveries(quiet)).toHaveLength(0);
    expect((await env.server.api('DELETE', `/api/v1/silences/${s2.body.id}`, { token: env.oncall.accessToken })).body.state).toBe('expired');
    await monitoringOf(env.server).idle();
    expect((await deliveries(quiet)).length).toBeGreaterThan(0);

    // Silencing an alert mid-escalation pauses it; the silence ending resumes it.
    const running = await fire({ name: 'Cache cold', severity: 'high', labels: { service: 'cache' } });
    const get = async () => (await env.server.api('GET', `/api/v1/alerts/${running}`, { token: env.oncall.accessToken })).body;
    expect((await get()).nextEscalationAt).toBe(env.clock.now() + 30 * 60_000);
    const s3 = await env.server.api('POST', '/api/v1/silences', { token: env.oncall.accessToken, body: { matchers: [{ name: 'service', value: 'cache' }], endsAt: env.clock.now() + 600_000, comment: 'warming' } });
    await monitoringOf(env.server).idle();
    expect(await get()).toMatchObject({ silenced: true, nextEscalationAt: null });
    env.clock.advance(60_000);
    await env.server.api('DELETE', `/api/v1/silences/${s3.body.id}`, { token: env.oncall.accessToken });
    await monitoringOf(env.server).idle();
    expect(await get()).toMatchObject({ silenced: false, escalationLevel: 0, nextEscalationAt: env.clock.now() + 30 * 60_000 });
  });
});

describe.each(DATABASES)('a failing SMTP server on %s', (kind) => {
  let env: MonitoringTestEnv;
  let slack: Awaited<ReturnType<typeof startWebhook>>;
  let hang: net.Server;
  const sockets = new Set<net.Socket>();

  beforeAll(async () => {
    // Accepts connections and never says hello: the SMTP client must give up after its timeout.
    hang = net.createServer((s) => {
      sockets.add(s);
      s.on('error', () => {});
    });
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', () => r()));
    const port = (hang.address() as AddressInfo).port;
    slack = await startWebhook();
    env = await startMonitoringServer(kind, { ...LOOPBACK_WEBHOOKS, SMTP_URL: `smtp://127.0.0.1:${port}`, SLACK_WEBHOOK_URL: slack.url, NOTIFY_TIMEOUT_MS: '2000', NOTIFY_MAX_ATTEMPTS: '3', NOTIFY_RETRY_BASE_SECONDS: '30' });
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    hang?.close();
    await env?.server.dispose();
    await slack?.close();
  });

  it('marks the email failed after the timeout, retries with backoff, and never blocks Slack or the alert', async () => {
    const m = monitoringOf(env.server);
    const started = Date.now();
    const res = await env.server.api('POST', '/api/v1/integrations/generic', { token: env.ingestToken, body: { name: 'Disk full', severity: 'critical' } });
    expect(res.status).toBe(200);
    const id = res.body.ids[0];
    // The webhook answers before any delivery finishes: the email is still waiting for its greeting.
    expect(Date.now() - started).toBeLessThan(2000);
    const early = (await env.server.api('GET', `/api/v1/alerts/${id}/deliveries`, { token: env.oncall.accessToken })).body as { channel: string; status: string }[];
    expect(early.find((x) => x.channel === 'email')?.status).not.toBe('failed');
    await m.idle();
    expect(slack.posts).toHaveLength(1);
    let d = (await env.server.api('GET', `/api/v1/alerts/${id}/deliveries`, { token: env.oncall.accessToken })).body as any[];
    const email = () => d.find((x) => x.channel === 'email');
    expect(d.find((x) => x.channel === 'slack').status).toBe('sent');
    expect(email()).toMatchObject({ status: 'failed', attempts: 1, nextAttemptAt: env.clock.now() + 30_000 });
    expect(email().error).toMatch(/greeting never received|timeout/i);

    // The server now refuses connections outright: the retry fails fast and backs off twice as long.
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => hang.close(() => r()));
    env.clock.advance(30_000);
    await m.tick();
    await m.idle();
    d = (await env.server.api('GET', `/api/v1/alerts/${id}/deliveries`, { token: env.oncall.accessToken })).body;
    expect(email()).toMatchObject({ status: 'failed', attempts: 2, nextAttemptAt: env.clock.now() + 60_000 });
    expect(email().error).toMatch(/ECONNREFUSED/);
    env.clock.advance(60_000);
    await m.tick();
    await m.idle();
    d = (await env.server.api('GET', `/api/v1/alerts/${id}/deliveries`, { token: env.oncall.accessToken })).body;
    expect(email()).toMatchObject({ status: 'failed', attempts: 3, nextAttemptAt: null }); // gave up after NOTIFY_MAX_ATTEMPTS
    const alert = (await env.server.api('GET', `/api/v1/alerts/${id}`, { token: env.oncall.accessToken })).body;
    expect(alert.status).toBe('firing');
    const health = await env.server.services.health.run();
    expect(health.checks.find((c) => c.name === 'smtp')?.status).toBe('down');
  });
});
