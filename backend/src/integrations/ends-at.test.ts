import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test-support/harness';
import { monitoringOf, startMonitoringServer, type MonitoringTestEnv } from '../../test-support/monitoring';

/** Alertmanager's endsAt: a firing alert whose end time passes without a resolved message resolves on its own. */
describe.each(DATABASES)('Alertmanager endsAt on %s', (kind) => {
  let env: MonitoringTestEnv;
  const iso = (ms: number) => new Date(ms).toISOString();
  const send = (fingerprint: string, endsAt: string) =>
    env.server.api('POST', '/api/v1/integrations/alertmanager', {
      token: env.ingestToken,
      body: {
        version: '4', groupKey: '{}:{alertname="Stale"}', truncatedAlerts: 0, status: 'firing', receiver: 'opsdesk',
        groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://alertmanager:9093',
        alerts: [{ status: 'firing', labels: { alertname: `Stale-${fingerprint}`, severity: 'warning' }, annotations: { summary: 'stale' }, startsAt: iso(env.clock.now()), endsAt, generatorURL: '', fingerprint }],
      },
    });
  const statusOf = async (id: string) => (await env.server.api('GET', `/api/v1/alerts/${id}`, { token: env.oncall.accessToken })).body;

  beforeAll(async () => void (env = await startMonitoringServer(kind)));
  afterAll(() => env?.server.dispose());

  it('resolves an alert once its endsAt passed, unless a newer firing message moved it on', async () => {
    const ends = (await send('e1', iso(env.clock.now() + 5 * 60_000))).body.ids[0] as string;
    const never = (await send('e2', '0001-01-01T00:00:00Z')).body.ids[0] as string;
    const moved = (await send('e3', iso(env.clock.now() + 5 * 60_000))).body.ids[0] as string;
    env.clock.advance(4 * 60_000);
    await send('e3', iso(env.clock.now() + 5 * 60_000)); // Alertmanager re-sends while it still fires
    await monitoringOf(env.server).tick();
    expect((await statusOf(ends)).status).toBe('firing');
    env.clock.advance(2 * 60_000);
    await monitoringOf(env.server).tick();
    expect(await statusOf(ends)).toMatchObject({ status: 'resolved', resolveReason: expect.stringMatching(/endsAt/) });
    expect((await statusOf(never)).status).toBe('firing');
    expect((await statusOf(moved)).status).toBe('firing');
    env.clock.advance(4 * 60_000);
    await monitoringOf(env.server).tick();
    expect((await statusOf(moved)).status).toBe('resolved');
  });
});
