import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test-support/harness';
import { startMonitoringServer, type MonitoringTestEnv, monitoringOf } from '../../test-support/monitoring';

describe.each(DATABASES)('threshold rules on %s', (kind) => {
  let env: MonitoringTestEnv;
  let ruleId: string;
  const m = () => monitoringOf(env.server);
  const sample = async (value: number, labels: Record<string, string> = { host: 'a' }) => {
    await m().store.write([{ name: 'test_cpu', labels, value }]);
    return m().evaluator.evaluate();
  };
  const alerts = async () => (await env.server.api('GET', '/api/v1/alerts?source=rule&label=metric%3Dtest_cpu', { token: env.oncall.accessToken })).body.items as any[];
  const step = (s: number) => env.clock.advance(s * 1000);

  beforeAll(async () => {
    env = await startMonitoringServer(kind);
    const res = await env.server.api('POST', '/api/v1/rules', {
      token: env.admin.accessToken,
      body: { name: 'Test CPU', metric: 'test_cpu', comparison: 'gt', warning: 70, critical: 90, forSeconds: 60, hysteresis: 5 },
    });
    expect(res.status).toBe(201);
    ruleId = res.body.id;
  });
  afterAll(() => env?.server.dispose());

  it('seeds the manuals\' default rules', async () => {
    const rules = (await env.server.api('GET', '/api/v1/rules', { token: env.oncall.accessToken })).body as any[];
    const byId = Object.fromEntries(rules.map((r) => [r.id, r]));
    expect(byId['builtin-cpu']).toMatchObject({ warning: 70, critical: 90, comparison: 'gt' });
    expect(byId['builtin-memory']).toMatchObject({ warning: 80, critical: 95 });
    expect(byId['builtin-disk']).toMatchObject({ warning: 85, critical: 95 });
    expect(byId['builtin-response-time']).toMatchObject({ warning: 2, critical: 5 });
    expect(byId['builtin-error-rate']).toMatchObject({ warning: 5, critical: 10 });
    expect(byId['builtin-api-down']).toMatchObject({ forSeconds: 120, criticalSeverity: 'critical', labels: { check: 'api' } });
    expect(byId['builtin-database-down']).toMatchObject({ forSeconds: 60, criticalSeverity: 'critical' });
    expect(byId['builtin-redis-down']).toMatchObject({ forSeconds: 60, warning: 1, critical: null });
    expect(byId['builtin-low-disk']).toMatchObject({ comparison: 'lt', warning: 10 });
  });

  it('refuses a "greater than" rule whose warning is above critical with 422', async () => {
    const res = await env.server.api('POST', '/api/v1/rules', { token: env.admin.accessToken, body: { name: 'bad', metric: 'x', comparison: 'gt', warning: 95, critical: 90 } });
    expect(res.status).toBe(422);
    expect(res.body.message).toMatch(/warning must not be above critical/);
    const patch = await env.server.api('PATCH', `/api/v1/rules/${ruleId}`, { token: env.admin.accessToken, body: { warning: 99 } });
    expect(patch.status).toBe(422);
    const agent = await env.server.api('POST', '/api/v1/rules', { token: env.oncall.accessToken, body: { name: 'x', metric: 'x', comparison: 'gt', warning: 1, critical: 2 } });
    expect(agent.status).toBe(403);
  });

  it('fires only after the for-duration, escalates to critical, dedups, holds within hysteresis and auto-resolves', async () => {
    await sample(75);
    expect(await alerts()).toHaveLength(0); // pending, not firing
    step(30);
    await sample(76);
    expect(await alerts()).toHaveLength(0);
    step(31);
    const r = await sample(77);
    expect(r.fired).toBe(1);
    let [alert] = await alerts();
    expect(alert).toMatchObject({ status: 'firing', severity: 'medium', ruleId, value: 77, count: 1, labels: { host: 'a', metric: 'test_cpu' } });
    expect(alert.summary).toContain('77');

    // Critical needs its own for-duration; meanwhile the alert stays one deduplicated alert.
    step(15);
    await sample(95);
    [alert] = await alerts();
    expect(alert.severity).toBe('medium');
    step(61);
    await sample(96);
    const list = await alerts();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ severity: 'critical', count: 2, value: 96, id: alert.id });

    // 87 is below critical 90 but within the 5-point hysteresis: still critical. 84 downgrades.
    step(15);
    await sample(87);
    expect((await alerts())[0]).toMatchObject({ severity: 'critical', value: 87, count: 2 });
    step(15);
    await sample(84);
    expect((await alerts())[0].severity).toBe('medium');
    // 68 is below warning 70 but within hysteresis: still firing; 64 clears it.
    step(15);
    await sample(68);
    expect((await alerts())[0].status).toBe('firing');
    step(15);
    const cleared = await sample(64);
    expect(cleared.resolved).toBe(1);
    const [resolved] = await alerts();
    expect(resolved).toMatchObject({ status: 'resolved', resolveReason: 'condition cleared', resolvedBy: null });
  });

  it('does not flap: a value bouncing across the line before the for-duration never fires', async () => {
    for (let i = 0; i < 6; i++) {
      step(20);
      await sample(i % 2 ? 60 : 80, { host: 'flappy' });
    }
    const list = (await alerts()).filter((a) => a.labels.host === 'flappy');
    expect(list).toHaveLength(0);
  });

  it('keeps one alert per series and ignores stale samples', async () => {
    await m().store.write([
      { name: 'test_cpu', labels: { host: 'b' }, value: 99 },
      { name: 'test_cpu', labels: { host: 'c' }, value: 99 },
    ]);
    await m().evaluator.evaluate();
    step(61);
    await m().store.write([
      { name: 'test_cpu', labels: { host: 'b' }, value: 99 },
      { name: 'test_cpu', labels: { host: 'c' }, value: 99 },
    ]);
    await m().evaluator.evaluate();
    const open = (await alerts()).filter((a) => a.status === 'firing');
    expect(open.map((a) => a.labels.host).sort()).toEqual(['b', 'c']);
    // No fresh samples for a long time: no data neither fires nor clears.
    step(3600);
    await m().evaluator.evaluate();
    expect((await alerts()).filter((a) => a.status === 'firing')).toHaveLength(2);
    // Disabling the rule clears its alerts.
    await env.server.api('PATCH', `/api/v1/rules/${ruleId}`, { token: env.admin.accessToken, body: { enabled: false } });
    await m().evaluator.evaluate();
    expect((await alerts()).filter((a) => a.status === 'firing')).toHaveLength(0);
  });

  it('feeds health checks into rules: database down fires critical after one minute', async () => {
    const health = env.server.services.health;
    let down = true;
    health.register('database', async () => (down ? { status: 'down', message: 'connection refused' } : { status: 'ok' }));
    await m().collect();
    await m().evaluator.evaluate();
    env.clock.advance(61_000);
    await m().collect();
    await m().evaluator.evaluate();
    const list = (await env.server.api('GET', '/api/v1/alerts?status=active&label=check%3Ddatabase', { token: env.oncall.accessToken })).body.items as any[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ name: 'Database down', severity: 'critical', ruleId: 'builtin-database-down' });
    down = false;
    env.clock.advance(15_000);
    await m().collect();
    await m().evaluator.evaluate();
    const after = (await env.server.api('GET', `/api/v1/alerts/${list[0].id}`, { token: env.oncall.accessToken })).body;
    expect(after.status).toBe('resolved');
    // The collector also wrote host and server metrics.
    const names = ((await env.server.api('GET', '/api/v1/metrics/names', { token: env.oncall.accessToken })).body as any[]).map((n) => n.name);
    expect(names).toEqual(expect.arrayContaining(['host_cpu_percent', 'host_memory_percent', 'host_disk_used_percent', 'health_up', 'db_size_bytes', 'db_connections', 'http_active_requests']));
  });
});
