import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test-support/harness';
import { startMonitoringServer, type MonitoringTestEnv, monitoringOf } from '../../test-support/monitoring';

const MIN = 60_000;
const HOUR = 3_600_000;

describe.each(DATABASES)('metric time series on %s', (kind) => {
  let env: MonitoringTestEnv;
  let t0: number;
  const series = (q: string) => env.server.api('GET', `/api/v1/metrics/series?${q}`, { token: env.oncall.accessToken });

  beforeAll(async () => {
    env = await startMonitoringServer(kind);
    t0 = Math.floor(env.clock.now() / HOUR) * HOUR + HOUR; // an hour boundary ahead
    env.clock.set(t0);
  });
  afterAll(() => env?.server.dispose());

  it('stores raw samples, rolls them up into minutes and hours, and drops them per retention', async () => {
    const store = monitoringOf(env.server).store;
    // 15-second samples for 2 minutes on two mounts: minute 0 averages 10/20, minute 1 averages 30/40.
    for (let i = 0; i < 8; i++) {
      const base = i < 4 ? 10 : 30;
      await store.write(
        [
          { name: 'disk_test', labels: { mount: '/' }, value: base + (i % 2 ? 1 : -1) },
          { name: 'disk_test', labels: { mount: '/data' }, value: base + 10 },
        ],
        t0 + i * 15_000,
      );
    }
    env.clock.set(t0 + 2 * MIN + 1);
    await store.maintain();

    const raw = await series(`name=disk_test&from=${t0}&to=${t0 + 2 * MIN}&step=15`);
    expect(raw.body.resolution).toBe('raw');
    expect(raw.body.series).toHaveLength(2);
    expect(raw.body.series[0].points).toHaveLength(8);

    const minutes = await series(`name=disk_test&from=${t0}&to=${t0 + 2 * MIN}&step=60&label=mount%3D%2F`);
    expect(minutes.body.resolution).toBe('1m');
    expect(minutes.body.series).toEqual([{ labels: { mount: '/' }, points: [[t0, 10, 9, 11], [t0 + MIN, 30, 29, 31]] }]);

    // Later: the raw points age out after 24 h; the hour rollup keeps the mean.
    env.clock.set(t0 + 25 * HOUR);
    await store.maintain();
    const rawGone = await env.server.services.database.db.selectFrom('metric_points').select('at').where('name', '=', 'disk_test').where('res', '=', 0).execute();
    expect(rawGone).toHaveLength(0);
    // (Access tokens do not live 25 h, so the store is asked directly from here on.)
    const hours = await store.series({ name: 'disk_test', from: t0, to: t0 + HOUR, step: 3600, label: ['mount=/data'] });
    expect(hours.resolution).toBe('1h');
    expect(hours.series[0]!.points).toEqual([[t0, 30, 20, 40]]);
    const oneMinute = await store.series({ name: 'disk_test', from: t0, to: t0 + 2 * MIN, step: 60 });
    expect(oneMinute.series).toHaveLength(2); // 1-minute rollups kept for 7 days

    env.clock.set(t0 + 8 * 24 * HOUR);
    await store.maintain();
    const left = await env.server.services.database.db.selectFrom('metric_points').select(['res']).where('name', '=', 'disk_test').execute();
    expect(new Set(left.map((r) => Number(r.res)))).toEqual(new Set([HOUR]));
  });

  it('rejects bad series queries with 400', async () => {
    expect((await series(`name=x&from=100&to=50`)).status).toBe(400);
    expect((await series(`from=0&to=50`)).status).toBe(400);
    expect((await series(`name=x&from=0&to=50&label=nolabel`)).status).toBe(400);
    expect((await env.server.api('GET', '/api/v1/metrics/series?name=x&from=0&to=5')).status).toBe(401);
  });
});
