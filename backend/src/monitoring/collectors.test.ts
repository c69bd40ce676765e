import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from '../../test-support/harness';
import { ServerMetrics } from '../platform/prometheus';
import { hostCollector, quantileBetween, redisCollector, serverCollector } from './collectors';

describe('collectors', () => {
  let redisServer: Awaited<ReturnType<typeof startRedis>>;
  let redis: Redis;
  beforeAll(async () => {
    redisServer = await startRedis();
    redis = new Redis(redisServer.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await redisServer?.stop();
  });

  it('reads host CPU, memory, disk per mount and load', async () => {
    const samples = await hostCollector()();
    const names = samples.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['host_cpu_percent', 'host_memory_percent', 'host_load1', 'host_disk_used_percent', 'host_disk_free_percent']));
    const mem = samples.find((s) => s.name === 'host_memory_percent')!.value;
    expect(mem).toBeGreaterThan(0);
    expect(mem).toBeLessThanOrEqual(100);
    expect(samples.filter((s) => s.name === 'host_disk_used_percent').every((s) => typeof s.labels?.mount === 'string')).toBe(true);
  });

  it('reads Redis memory and keyspace hit rate', async () => {
    await redis.set('k', 'v');
    await redis.get('k'); // hit
    await redis.get('k'); // hit
    await redis.get('missing'); // miss
    const samples = await redisCollector(redis)();
    expect(samples.find((s) => s.name === 'redis_memory_bytes')!.value).toBeGreaterThan(0);
    expect(samples.find((s) => s.name === 'redis_hit_rate_percent')!.value).toBeCloseTo(66.67, 1);
  });

  it('turns request histograms into rate, p95 and 5xx rate between collections', async () => {
    const metrics = new ServerMetrics();
    const collect = serverCollector(metrics, { dialect: 'sqlite', sqliteFile: ':memory:' } as never);
    await collect();
    const labels = { method: 'GET', route: '/x', status_code: '200' };
    for (let i = 0; i < 95; i++) metrics.httpDuration.observe(labels, 0.02);
    for (let i = 0; i < 5; i++) metrics.httpDuration.observe({ ...labels, status_code: '500' }, 3);
    metrics.httpErrors.inc({ ...labels, status_code: '500' }, 5);
    const samples = await collect();
    const get = (n: string) => samples.find((s) => s.name === n)?.value;
    expect(get('http_response_p95_seconds')).toBe(0.025);
    expect(get('http_error_rate_percent')).toBeCloseTo(5);
    expect(get('http_requests_per_second')).toBeGreaterThan(0);
    expect(get('db_connections')).toBe(1);
    expect(quantileBetween(null, { buckets: new Map([[1, 0]]), count: 0 }, 0.95)).toBeNull();
  });
});
