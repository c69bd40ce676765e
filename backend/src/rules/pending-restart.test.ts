import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test-support/harness';
import { restartMonitoringServer, startMonitoringServer, type MonitoringTestEnv, monitoringOf } from '../../test-support/monitoring';
import { OUTAGE_TOLERANCE_MS } from './pending-conditions';

describe.each(DATABASES)('threshold rule for-durations across a restart on %s', (kind) => {
  let env: MonitoringTestEnv;
  const m = () => monitoringOf(env.server);
  const sample = async (value: number, host: string) => {
    await m().store.write([{ name: 'restart_cpu', labels: { host }, value }]);
    return m().evaluator.evaluate();
  };
  const firing = async (host: string) =>
    ((await env.server.api('GET', `/api/v1/alerts?status=active&label=host%3D${host}`, { token: env.oncall.accessToken })).body.items as any[]).filter((a) => a.labels.metric === 'restart_cpu');
  const stored = async () => (await env.server.services.database.db.selectFrom('alert_rule_pending').selectAll().orderBy('since').execute()).map((r) => ({ level: r.level, since: Number(r.since) }));

  beforeAll(async () => {
    env = await startMonitoringServer(kind);
    const res = await env.server.api('POST', '/api/v1/rules', {
      token: env.admin.accessToken,
      body: { name: 'Restart CPU', metric: 'restart_cpu', comparison: 'gt', warning: 70, critical: 90, forSeconds: 120 },
    });
    expect(res.status).toBe(201);
  });
  afterAll(() => env?.server.dispose());

  it('continues a pending for-duration after the backend restarts instead of waiting from zero', async () => {
    const startedAt = env.clock.now();
    await sample(80, 'a');
    env.clock.advance(60_000);
    expect((await sample(81, 'a')).fired).toBe(0);
    expect(await stored()).toEqual([{ level: 'warning', since: startedAt }]);

    env = await restartMonitoringServer(env);
    // 61 s after the restart the condition has held for 121 s: past the 120 s `for`.
    env.clock.advance(61_000);
    const r = await sample(82, 'a');
    expect(r.fired).toBe(1);
    const [alert] = await firing('a');
    expect(alert).toMatchObject({ status: 'firing', severity: 'medium', value: 82 });
    expect(await stored()).toEqual([]); // fired: nothing pending any more
  });

  it('forgets a condition that clears, also across a restart', async () => {
    await sample(85, 'b');
    env.clock.advance(90_000);
    await sample(85, 'b');
    expect(await stored()).toHaveLength(1);
    env.clock.advance(15_000);
    await sample(50, 'b'); // cleared before its for-duration
    expect(await stored()).toEqual([]);
    env = await restartMonitoringServer(env);
    env.clock.advance(30_000);
    expect((await sample(85, 'b')).fired).toBe(0); // a new wait starts now
    env.clock.advance(60_000);
    expect((await sample(85, 'b')).fired).toBe(0);
    env.clock.advance(61_000);
    expect((await sample(85, 'b')).fired).toBe(1);
  });

  it('starts the wait again when the backend was down longer than the outage tolerance', async () => {
    await sample(95, 'c');
    env.clock.advance(100_000);
    await sample(95, 'c');
    env = await restartMonitoringServer(env);
    env.clock.advance(OUTAGE_TOLERANCE_MS + 1);
    expect((await sample(95, 'c')).fired).toBe(0); // unknown whether it held while down
    expect((await stored()).map((p) => p.since)).toEqual([env.clock.now()]);
    env.clock.advance(121_000);
    expect((await sample(95, 'c')).fired).toBe(1);
    expect((await firing('c'))[0]).toMatchObject({ severity: 'critical' });
  });
});
