import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closedPort } from '../../test-support/probe-servers';
import { startProbeServer, type ProbeTestEnv } from '../../test-support/probes';

/** An HTTP server that answers after `delayMs` and counts requests in flight. */
async function slowServer(delayMs: number) {
  const stats = { active: 0, maxActive: 0, byPath: new Map<string, number>(), maxPerPath: 0 };
  const server = http.createServer((req, res) => {
    stats.active++;
    stats.maxActive = Math.max(stats.maxActive, stats.active);
    const n = (stats.byPath.get(req.url!) ?? 0) + 1;
    stats.byPath.set(req.url!, n);
    stats.maxPerPath = Math.max(stats.maxPerPath, n);
    setTimeout(() => {
      stats.active--;
      stats.byPath.set(req.url!, stats.byPath.get(req.url!)! - 1);
      res.end('ok');
    }, delayMs);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stats, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const envs: ProbeTestEnv[] = [];
afterEach(async () => {
  for (const e of envs.splice(0)) await e.server.dispose();
});
afterAll(async () => {
  for (const e of envs.splice(0)) await e.server.dispose();
});

describe('probe scheduling', () => {
  it('runs at most PROBE_CONCURRENCY checks at once and never the same probe twice', async () => {
    const env = await startProbeServer({ PROBE_CONCURRENCY: '2' });
    envs.push(env);
    const slow = await slowServer(300);
    try {
      for (let i = 0; i < 5; i++) await env.create({ name: `slow ${i}`, kind: 'http', target: `${slow.url}/p${i}` });
      const runner = env.server.services.probeRunner;
      expect(await runner.dispatch()).toBe(2);
      expect(await runner.dispatch()).toBe(0); // both slots busy
      await runner.idle();
      expect(await runner.dispatch()).toBe(2);
      await runner.idle();
      expect(await runner.dispatch()).toBe(1);
      await runner.idle();
      // Everything ran once; nothing is due until the interval passes.
      expect(await runner.dispatch()).toBe(0);
      env.clock.advance(61_000);
      expect(await runner.runDue()).toBe(2);
      expect(slow.stats.maxActive).toBe(2);
      expect(slow.stats.maxPerPath).toBe(1);
      const list = await env.server.api('GET', '/api/v1/probes', { token: env.token });
      expect(list.body.map((p: { state: string }) => p.state)).toEqual(['up', 'up', 'up', 'up', 'up']);
    } finally {
      await slow.close();
    }
  });

  it('with the loops on, the lifecycle runs due probes by itself; stopping waits for checks in flight', async () => {
    const env = await startProbeServer({ MONITORING_LOOPS: 'true', METRICS_INTERVAL_SECONDS: '3600' });
    envs.push(env);
    const slow = await slowServer(50);
    try {
      const p = await env.create({ name: 'scheduled', kind: 'http', target: slow.url, intervalSeconds: 5, timeoutSeconds: 2 });
      let state = 'pending';
      for (let i = 0; i < 50 && state === 'pending'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const got = await env.server.api('GET', `/api/v1/probes/${p.body.id}`, { token: env.token });
        if (got.status !== 200) throw new Error(`${p.status} ${JSON.stringify(p.body)} / ${got.status} ${JSON.stringify(got.body)}`);
        state = got.body.state;
      }
      expect(state).toBe('up');
    } finally {
      await slow.close();
    }
  });
});

describe('the built-in API-down check', () => {
  it('probes PUBLIC_URL, not the process itself: a public URL that does not answer is down', async () => {
    const port = await closedPort();
    const env = await startProbeServer({ PUBLIC_URL: `http://127.0.0.1:${port}/` });
    envs.push(env);
    const health = await env.server.api('GET', '/health/');
    const api = health.body.checks.find((c: { name: string }) => c.name === 'api');
    expect(api).toMatchObject({ status: 'down' });
    expect(api.message).toContain(`http://127.0.0.1:${port}/api/v1/metrics/ping`);
    expect(api.message).toContain('ECONNREFUSED');
    expect(env.server.services.apiProbe.target).toBe(`http://127.0.0.1:${port}/api/v1/metrics/ping`);
  });

  it('without PUBLIC_URL it probes the listening address, before /health is asked', async () => {
    const env = await startProbeServer();
    envs.push(env);
    expect(env.server.services.apiProbe.target).toBe(`${env.server.url}/api/v1/metrics/ping`);
    const health = await env.server.api('GET', '/health/');
    expect(health.body.checks.find((c: { name: string }) => c.name === 'api')).toMatchObject({ status: 'ok' });
  });
});
