import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertNotification } from '../../../shared/api/alerts';
import { DATABASES, createUserAndLogin } from '../../test-support/harness';
import { startMonitoringServer, type MonitoringTestEnv, monitoringOf } from '../../test-support/monitoring';
import { startSmtp } from '../../test-support/smtp-capture';

/** Issue 14 item 3: popups go only to the people paged, count as sent when a desktop confirms, fall back, and respect quiet hours. */
async function desktop(url: string, token: string, confirm: boolean): Promise<{ socket: Socket; popups: AlertNotification[] }> {
  const popups: AlertNotification[] = [];
  const socket = io(url, { auth: { token }, transports: ['websocket'] });
  socket.on('alert.notify', (e: { data: unknown }, ack?: (r: unknown) => void) => {
    popups.push(AlertNotification.parse(e.data));
    if (confirm) ack?.({ received: true });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('ready', () => resolve());
    socket.once('connect_error', reject);
  });
  return { socket, popups };
}

describe.each(DATABASES)('server-routed popups on %s', (kind) => {
  let env: MonitoringTestEnv;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const fire = async (body: Record<string, unknown>) => {
    const res = await env.server.api('POST', '/api/v1/integrations/generic', { token: env.ingestToken, body });
    expect(res.status).toBe(200);
    await monitoringOf(env.server).idle();
    return res.body.ids[0] as string;
  };
  const deliveries = async (id: string) => (await env.server.api('GET', `/api/v1/alerts/${id}/deliveries`, { token: env.admin.accessToken })).body as any[];
  const tick = async () => {
    await monitoringOf(env.server).tick();
    await monitoringOf(env.server).idle();
  };

  beforeAll(async () => {
    smtp = await startSmtp();
    env = await startMonitoringServer(kind, { SMTP_URL: smtp.url, NOTIFY_TIMEOUT_MS: '2000', NOTIFY_DESKTOP_ACK_MS: '300', NOTIFY_RETRY_BASE_SECONDS: '30', NOTIFY_DESKTOP_FALLBACK_SECONDS: '45' });
  });
  afterAll(async () => {
    await env?.server.dispose();
    await smtp?.close();
  });

  it('pops up only on the paged person’s desktop, sent once it confirms receipt', async () => {
    const oncall = await desktop(env.server.url, env.oncall.accessToken, true);
    const admin = await desktop(env.server.url, env.admin.accessToken, true);
    const id = await fire({ name: 'Disk full', severity: 'medium' });
    expect(oncall.popups.map((p) => [p.alertId, p.userId])).toEqual([[id, env.oncall.id]]);
    expect(admin.popups).toHaveLength(0);
    const [d] = (await deliveries(id)).filter((x) => x.channel === 'desktop');
    expect(d).toMatchObject({ status: 'sent', attempts: 1, target: env.oncall.id });
    expect(oncall.popups[0]!.deliveryId).toBe(d.id);
    // Acknowledging makes the acknowledger the owner everyone sees.
    const acked = await env.server.api('POST', `/api/v1/alerts/${id}/ack`, { token: env.oncall.accessToken });
    expect(acked.body).toMatchObject({ status: 'acknowledged', ownerId: env.oncall.id, ownerName: 'Omar Oncall' });
    oncall.socket.close();
    admin.socket.close();
  });

  it('a desktop that never confirms is retried, then falls back to the person’s email', async () => {
    const mute = await desktop(env.server.url, env.oncall.accessToken, false);
    smtp.mails.length = 0;
    const id = await fire({ name: 'Queue stuck', severity: 'medium' });
    expect(mute.popups).toHaveLength(1);
    expect((await deliveries(id)).filter((x) => x.channel === 'desktop')[0]).toMatchObject({ status: 'failed', attempts: 1, error: expect.stringMatching(/no desktop confirmed/) });
    expect(smtp.mails).toHaveLength(0); // a medium alert is not routed to email by severity
    env.clock.advance(30_000);
    await tick();
    expect(mute.popups).toHaveLength(2);
    const after = await deliveries(id);
    expect(after.filter((x) => x.channel === 'desktop')[0]).toMatchObject({ status: 'failed', attempts: 2, nextAttemptAt: null, error: expect.stringMatching(/fell back to email/) });
    await expect.poll(() => smtp.mails.map((m) => m.to[0])).toEqual(['oncall@example.com']);
    expect(smtp.mails[0]!.data).toContain('Subject: [MEDIUM] Queue stuck');
    expect((await deliveries(id)).filter((x) => x.channel === 'email').map((x) => x.status)).toEqual(['sent']);
    mute.socket.close();
  });

  it('quiet hours hold popups (critical passes), then one summary arrives when they end', async () => {
    const user = await createUserAndLogin(env.server, { email: 'quiet@example.com', password: 'lantern-harbor-5512', role: 'oncall', name: 'Quinn' });
    env.server.services.pager.clearCache(); // the new on-call user is paged at once
    const live = await desktop(env.server.url, user.accessToken, true);
    // 12:00 UTC on the test clock: inside 11:00–13:00 in UTC.
    const set = await env.server.api('PUT', '/api/v1/channels/quiet-hours', { token: user.accessToken, body: { enabled: true, from: '11:00', to: '13:00', timeZone: 'UTC', allowCritical: true } });
    expect(set.status).toBe(200);
    const bad = await env.server.api('PUT', '/api/v1/channels/quiet-hours', { token: user.accessToken, body: { enabled: true, from: '11:00', to: '13:00', timeZone: 'Mars/Olympus', allowCritical: true } });
    expect(bad.status).toBe(422);
    const held = await fire({ name: 'Cache cold', severity: 'high' });
    expect(live.popups.filter((p) => p.userId === user.id)).toHaveLength(0);
    expect((await deliveries(held)).filter((x) => x.target === user.id || x.target === 'quiet@example.com').map((x) => `${x.channel}:${x.status}`).sort()).toEqual(['desktop:held', 'email:held']);
    const critical = await fire({ name: 'Datacenter on fire', severity: 'critical' });
    expect(live.popups.map((p) => p.alertId)).toEqual([critical]);

    await tick(); // still quiet: nothing released
    expect(live.popups).toHaveLength(1);
    await env.server.api('PUT', '/api/v1/channels/quiet-hours', { token: user.accessToken, body: { enabled: false, from: '11:00', to: '13:00', timeZone: 'UTC', allowCritical: true } });
    smtp.mails.length = 0;
    await tick();
    await expect.poll(() => live.popups.length).toBe(2);
    expect(live.popups[1]).toMatchObject({ alertId: null, title: 'While you were in do-not-disturb: 1 alert' });
    expect(live.popups[1]!.body).toContain('[HIGH] Cache cold');
    await expect.poll(() => smtp.mails.some((m) => m.to[0] === 'quiet@example.com' && m.data.includes('do-not-disturb'))).toBe(true);
    expect((await deliveries(held)).filter((x) => x.target === user.id).map((x) => x.status)).toEqual(['summarized']);
    await tick(); // summarised once
    expect(live.popups).toHaveLength(2);
    live.socket.close();
  });
});
