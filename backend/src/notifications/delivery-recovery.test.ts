import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test-support/harness';
import { restartMonitoringServer, startMonitoringServer, type MonitoringTestEnv, monitoringOf } from '../../test-support/monitoring';
import { interruptedAfterMs } from './notifier';
import { LOOPBACK_WEBHOOKS } from '../../test-support/webhook-receivers';

const TIMEOUT_MS = 60_000;

describe.each(DATABASES)('a delivery interrupted by the backend stopping, on %s', (kind) => {
  let env: MonitoringTestEnv;
  let slack: http.Server;
  let slackUrl: string;
  let answer = false;
  const held: http.ServerResponse[] = [];
  const posts: unknown[] = [];

  beforeAll(async () => {
    // A Slack webhook that, at first, takes the request and never answers: the attempt stays in flight.
    slack = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        posts.push(JSON.parse(body));
        if (answer) res.writeHead(200).end('ok');
        else held.push(res);
      });
    });
    await new Promise<void>((r) => slack.listen(0, '127.0.0.1', () => r()));
    slackUrl = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/hook`;
    env = await startMonitoringServer(kind, { ...LOOPBACK_WEBHOOKS, SLACK_WEBHOOK_URL: slackUrl, NOTIFY_TIMEOUT_MS: String(TIMEOUT_MS), NOTIFY_RETRY_BASE_SECONDS: '30' });
  });
  afterAll(async () => {
    for (const res of held) res.destroy();
    await env?.server.dispose();
    slack.closeAllConnections();
    await new Promise((r) => slack.close(r));
  });

  it('is retried after the restart with the normal backoff, the lost attempt counted', async () => {
    const fired = await env.server.api('POST', '/api/v1/integrations/generic', { token: env.ingestToken, body: { name: 'Queue backlog', severity: 'medium' } });
    expect(fired.status).toBe(200);
    const alertId = fired.body.ids[0] as string;
    await expect.poll(() => posts.length).toBe(1); // the Slack attempt is now in flight
    const slackDelivery = async () => ((await env.server.api('GET', `/api/v1/alerts/${alertId}/deliveries`, { token: env.oncall.accessToken })).body as any[]).find((d) => d.channel === 'slack');

    // Stopped mid-attempt and back at once: the attempt might still be running in another instance
    // on the same database, so it is not taken for dead yet.
    env = await restartMonitoringServer(env);
    expect(await slackDelivery()).toMatchObject({ status: 'pending', attempts: 0 });

    // Down for longer than any attempt can last: at start the attempt counts as failed and is scheduled.
    env = await restartMonitoringServer(env, () => env.clock.advance(interruptedAfterMs(TIMEOUT_MS) + 1000));
    const recovered = await slackDelivery();
    expect(recovered).toMatchObject({ status: 'failed', attempts: 1, nextAttemptAt: env.clock.now() + 30_000 });
    expect(recovered.error).toMatch(/interrupted/);

    // The normal retry delivers it once its backoff has passed.
    answer = true;
    env.clock.advance(29_000);
    await monitoringOf(env.server).tick();
    await monitoringOf(env.server).idle();
    expect(posts).toHaveLength(1);
    env.clock.advance(1_000);
    await monitoringOf(env.server).tick();
    await monitoringOf(env.server).idle();
    expect(posts).toHaveLength(2);
    expect(await slackDelivery()).toMatchObject({ status: 'sent', attempts: 2, error: null });
    // No desktop was connected to confirm the popup: it never counts as sent.
    const desktop = ((await env.server.api('GET', `/api/v1/alerts/${alertId}/deliveries`, { token: env.oncall.accessToken })).body as any[]).filter((d) => d.channel === 'desktop');
    expect(desktop.length).toBeGreaterThan(0);
    for (const d of desktop) expect(d).toMatchObject({ status: 'failed', error: expect.stringMatching(/no desktop confirmed receipt/) });
  });
});
