import { renameSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from '../../test-support/harness';
import { monitoringOf, startMonitoringServer, type MonitoringTestEnv } from '../../test-support/monitoring';
import type { OverviewEntry } from '../../../shared/api/scrape';

/** Health paths (issue 15, item 6): Redis down and storage down are seen by the checks, the rules and the overview. */
describe('the monitoring overview and the health paths', () => {
  let env: MonitoringTestEnv;
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let exporter: http.Server;
  let exporterUrl = '';
  const overview = async () => (await env.server.api('GET', '/api/v1/monitoring/overview', { token: env.oncall.accessToken })).body as OverviewEntry[];
  const entry = async (name: string) => (await overview()).find((e) => e.name === name);

  beforeAll(async () => {
    redis = await startRedis();
    exporter = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('node_memory_MemTotal_bytes 100\nnode_memory_MemAvailable_bytes 10\n'));
    await new Promise<void>((r) => exporter.listen(0, '127.0.0.1', r));
    exporterUrl = `http://127.0.0.1:${(exporter.address() as net.AddressInfo).port}/metrics`;
    env = await startMonitoringServer('postgres', { REDIS_URL: redis.url });
    await monitoringOf(env.server).init();
  });
  afterAll(async () => {
    // Redis was down during this file: stopping must not hang on the job queue (it did, before BullJobQueue.stop had a grace).
    await env?.server.dispose();
    await redis?.stop();
    exporter?.close();
  });

  it('lists targets, probes and health checks; a target with an open alert is a warning', async () => {
    const t = await env.server.api('POST', '/api/v1/scrape-targets', { token: env.admin.accessToken, body: { job: 'node', url: exporterUrl } });
    await env.server.api('POST', `/api/v1/scrape-targets/${(t.body as { id: string }).id}/scrape`, { token: env.admin.accessToken });
    await env.server.api('POST', '/api/v1/probes', { token: env.admin.accessToken, body: { name: 'closed port', kind: 'tcp', target: '127.0.0.1:1' } });
    await env.server.services.probeRunner.runDue();
    // 90 % memory used: over the 80 % warning, under the 95 % critical; the rule fires after its 120 s.
    await monitoringOf(env.server).evaluator.evaluate();
    env.clock.advance(121_000);
    await env.server.api('POST', `/api/v1/scrape-targets/${(t.body as { id: string }).id}/scrape`, { token: env.admin.accessToken });
    await monitoringOf(env.server).evaluator.evaluate();
    const list = await overview();
    const instance = new URL(exporterUrl).host;
    expect(list.find((e) => e.kind === 'target')).toMatchObject({ name: `node/${instance}`, state: 'warning', openAlerts: 1 });
    expect(list.find((e) => e.kind === 'probe')).toMatchObject({ name: 'closed port', state: 'down', lastError: expect.stringMatching(/ECONNREFUSED|refused/) });
    expect(list.filter((e) => e.kind === 'health').map((e) => [e.name, e.state])).toEqual(expect.arrayContaining([['health: database', 'up'], ['health: redis', 'up'], ['health: storage', 'up']]));
  });

  it("a deleted target's rule alerts resolve with its series", async () => {
    const open = () => env.server.services.alerts.openByRule().then((l) => l.filter((a) => a.labels.job === 'node'));
    expect(await open()).toHaveLength(1);
    const target = (await env.server.api('GET', '/api/v1/scrape-targets', { token: env.admin.accessToken })).body[0] as { id: string };
    expect((await env.server.api('DELETE', `/api/v1/scrape-targets/${target.id}`, { token: env.admin.accessToken })).status).toBe(204);
    expect(await open()).toEqual([]);
    expect((await overview()).filter((e) => e.kind === 'target')).toEqual([]);
  });

  it('Redis down: the health check fails with its error, the overview shows it, "Redis down" fires and resolves', async () => {
    const m = monitoringOf(env.server);
    await redis.stop();
    await m.collectAndEvaluate();
    const down = await entry('health: redis');
    expect(down).toMatchObject({ state: 'down', lastError: expect.any(String) });
    expect(down!.lastError!.length).toBeGreaterThan(0);
    env.clock.advance(61_000);
    await m.collectAndEvaluate();
    const alert = (await env.server.services.alerts.openByRule()).find((a) => a.ruleId === 'builtin-redis-down');
    expect(alert).toMatchObject({ name: 'Redis down', severity: 'medium' });
    redis = await startRedis({ port: Number(new URL(redis.url).port) });
    // ioredis reconnects on its own backoff.
    await expect.poll(async () => (await env.server.services.health.run()).checks.find((c) => c.name === 'redis')?.status, { timeout: 15_000 }).toBe('ok');
    await m.collectAndEvaluate();
    expect((await env.server.services.alerts.openByRule()).find((a) => a.ruleId === 'builtin-redis-down')).toBeUndefined();
    // Recovered, and the last failure stays visible.
    expect(await entry('health: redis')).toMatchObject({ state: 'up', lastError: down!.lastError });
  }, 40_000);

  it('storage down: DATA_DIR gone → the storage check is down with its error, "Storage down" fires', async () => {
    const m = monitoringOf(env.server);
    const dir = env.server.config.DATA_DIR;
    renameSync(dir, `${dir}.moved`);
    try {
      await m.collectAndEvaluate();
      expect(await entry('health: storage')).toMatchObject({ state: 'down', lastError: expect.stringContaining('ENOENT') });
      env.clock.advance(61_000);
      await m.collectAndEvaluate();
      expect((await env.server.services.alerts.openByRule()).find((a) => a.ruleId === 'builtin-storage-down')).toMatchObject({ severity: 'critical' });
    } finally {
      renameSync(`${dir}.moved`, dir);
    }
    await m.collectAndEvaluate();
    expect((await env.server.services.alerts.openByRule()).find((a) => a.ruleId === 'builtin-storage-down')).toBeUndefined();
  });
});
