import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from '../../test-support/harness';
import { startNodeExporter, startPostgresExporter, startRedisExporter, type Exporter } from '../../test-support/exporters';
import { monitoringOf, startMonitoringServer, type MonitoringTestEnv } from '../../test-support/monitoring';
import type { ScrapeTarget } from '../../../shared/api/scrape';

/**
 * Debian's node, postgres and redis exporters on loopback (against the test PostgreSQL and a test
 * redis-server): OpsDesk scrapes them, records the ratios, the default rules evaluate on their data,
 * and a forced condition (a rule lowered below the current value; Redis stopped) fires and resolves.
 */
describe('scraping Debian exporters', () => {
  let env: MonitoringTestEnv;
  let redis: Awaited<ReturnType<typeof startRedis>>;
  const exporters: Exporter[] = [];
  const targets: Record<string, ScrapeTarget> = {};
  const call = (method: string, url: string, body?: unknown) => env.server.api(method, url, { token: env.admin.accessToken, body });
  const latest = (name: string, labels: Record<string, string> = {}) => env.server.services.metricStore.current(name, 60_000).filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  const scrapeAll = async () => {
    for (const t of Object.values(targets)) expect((await call('POST', `/api/v1/scrape-targets/${t.id}/scrape`)).status).toBe(200);
  };

  beforeAll(async () => {
    env = await startMonitoringServer('postgres');
    await monitoringOf(env.server).init();
    redis = await startRedis();
    exporters.push(await startNodeExporter(), await startPostgresExporter(env.server.config.DATABASE_URL!), await startRedisExporter(redis.url));
    for (const [job, exporter] of [['node', exporters[0]!], ['postgres', exporters[1]!], ['redis', exporters[2]!]] as const) {
      const res = await call('POST', '/api/v1/scrape-targets', { job, url: exporter.url, labels: { team: 'platform' } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      targets[job] = res.body as ScrapeTarget;
    }
    await scrapeAll();
    // Rates need two scrapes, a moment apart.
    await new Promise((r) => setTimeout(r, 1100));
    env.clock.advance(15_000);
    // Some cache traffic, so Redis has a hit ratio.
    const { Redis } = await import('ioredis');
    const client = new Redis(redis.url);
    await client.set('k', 'v');
    for (let i = 0; i < 20; i++) await client.get(i % 10 ? 'k' : 'missing');
    client.disconnect();
    await scrapeAll();
  }, 90_000);

  afterAll(async () => {
    for (const e of exporters) await e.stop();
    await redis?.stop();
    await env?.server.dispose();
  });

  it('marks each target up with job, instance and its labels, and records the ratios', async () => {
    const list = (await call('GET', '/api/v1/scrape-targets')).body as ScrapeTarget[];
    expect(list.map((t) => [t.job, t.state, t.source])).toEqual([
      ['node', 'up', 'app'],
      ['postgres', 'up', 'app'],
      ['redis', 'up', 'app'],
    ]);
    expect(list.every((t) => (t.lastSamples ?? 0) > 50 && t.lastError === null)).toBe(true);
    for (const t of list) expect(latest('up', { job: t.job, instance: t.instance, team: 'platform' })[0]?.value).toBe(1);
    const ratio = (name: string, job: string) => latest(name, { job })[0]?.value;
    expect(ratio('node_cpu_usage_ratio', 'node')).toBeGreaterThanOrEqual(0);
    expect(ratio('node_cpu_usage_ratio', 'node')).toBeLessThanOrEqual(1);
    expect(ratio('node_memory_used_ratio', 'node')).toBeGreaterThan(0);
    expect(latest('node_filesystem_used_ratio', { job: 'node' }).length).toBeGreaterThan(0);
    expect(ratio('pg_connections_used_ratio', 'postgres')).toBeGreaterThan(0);
    expect(latest('pg_up', { job: 'postgres' })[0]?.value).toBe(1);
    expect(latest('pg_database_size_bytes', { job: 'postgres' }).length).toBeGreaterThan(0);
    expect(latest('pg_stat_activity_max_tx_duration', { job: 'postgres' }).length).toBeGreaterThan(0);
    // A primary: no lag.
    expect(latest('pg_replication_lag', { job: 'postgres' })[0]?.value).toBe(0);
    expect(ratio('redis_clients_used_ratio', 'redis')).toBeGreaterThan(0);
    expect(ratio('redis_keyspace_hit_ratio', 'redis')).toBeCloseTo(0.9, 1);
    // Points for the dashboards: up and the recordings are stored.
    const points = await env.server.services.metricStore.series({ name: 'node_memory_used_ratio', from: env.clock.now() - 60_000, to: env.clock.now() + 1 });
    expect(points.series[0]?.points.length).toBeGreaterThan(0);
  });

  it('evaluates the default rules on the scraped data without firing on a healthy box, and fires a rule lowered below the value', async () => {
    const m = monitoringOf(env.server);
    await m.evaluator.evaluate();
    const open = () => env.server.services.alerts.openByRule();
    expect((await open()).filter((a) => a.ruleId?.startsWith('builtin-pg') || a.ruleId?.startsWith('builtin-redis') || a.ruleId === 'builtin-target-down')).toEqual([]);
    const memory = latest('node_memory_used_ratio', { job: 'node' })[0]!.value;
    expect((await call('PATCH', '/api/v1/rules/builtin-node-memory', { warning: memory / 2, critical: null, forSeconds: 0 })).status).toBe(200);
    await m.evaluator.evaluate();
    const fired = (await open()).find((a) => a.ruleId === 'builtin-node-memory');
    expect(fired).toMatchObject({ labels: expect.objectContaining({ job: 'node', instance: targets.node!.instance }) });
    expect((await call('PATCH', '/api/v1/rules/builtin-node-memory', { warning: 0.99, critical: null })).status).toBe(200);
    await m.evaluator.evaluate();
    expect((await open()).find((a) => a.ruleId === 'builtin-node-memory')).toBeUndefined();
  });

  it('fires "Redis down (exporter)" when redis-server stops, and resolves when it is back', async () => {
    const m = monitoringOf(env.server);
    await redis.stop();
    env.clock.advance(15_000);
    await scrapeAll();
    expect(latest('redis_up', { job: 'redis' })[0]?.value).toBe(0);
    await m.evaluator.evaluate();
    env.clock.advance(61_000);
    await scrapeAll();
    await m.evaluator.evaluate();
    const down = (await env.server.services.alerts.openByRule()).find((a) => a.ruleId === 'builtin-redis-exporter-down');
    expect(down?.summary).toContain(targets.redis!.instance);
    redis = await startRedis({ port: Number(new URL(redis.url).port) });
    env.clock.advance(15_000);
    await scrapeAll();
    await m.evaluator.evaluate();
    expect((await env.server.services.alerts.openByRule()).find((a) => a.ruleId === 'builtin-redis-exporter-down')).toBeUndefined();
  }, 60_000);
});
