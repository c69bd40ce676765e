import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, tempDir } from '../../test-support/harness';
import { startPrometheus, type Exporter } from '../../test-support/exporters';
import { startMonitoringServer, type MonitoringTestEnv } from '../../test-support/monitoring';
import type { ScrapeTarget } from '../../../shared/api/scrape';

/** A local endpoint emitting whatever exposition the test sets. */
async function exposition(): Promise<{ url: string; body: string; contentType: string; close(): Promise<void> }> {
  const state = { body: '', contentType: 'text/plain; version=0.0.4' };
  const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': state.contentType }).end(state.body));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return Object.assign(state, { url: `http://127.0.0.1:${port}/metrics`, close: () => new Promise<void>((r) => server.close(() => r())) });
}

describe.each(DATABASES)('scrape targets on %s', (kind) => {
  let env: MonitoringTestEnv;
  let app: Awaited<ReturnType<typeof exposition>>;
  let prometheus: Exporter;
  const servicesFile = path.join(tempDir(), 'services.json');
  const call = (method: string, url: string, body?: unknown, token = env.admin.accessToken) => env.server.api(method, url, { token, body });
  const latest = (name: string) => env.server.services.metricStore.current(name, 60_000);

  beforeAll(async () => {
    app = await exposition();
    const dir = tempDir();
    writeFileSync(path.join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\n');
    prometheus = await startPrometheus(path.join(dir, 'data'), path.join(dir, 'prometheus.yml'));
    writeFileSync(servicesFile, JSON.stringify({ services: [{ name: 'billing-api', command: ['true'], replicas: 0, scrape: { url: `${app.url}?svc=1`, labels: { tier: 'api' } } }] }));
    env = await startMonitoringServer(kind, { SERVICES_FILE: servicesFile });
  }, 60_000);

  afterAll(async () => {
    await env?.server.dispose();
    await app?.close();
    await prometheus?.stop();
  });

  it('validates targets inline and keeps one target per job and instance', async () => {
    const bad = await call('POST', '/api/v1/scrape-targets', { job: 'node', url: 'ftp://x', timeoutSeconds: 30, intervalSeconds: 15, labels: { job: 'x' } });
    expect(bad.status).toBe(400);
    const fields = (bad.body as { details: { field: string }[] }).details.map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['body.url', 'body.labels', 'body.timeoutSeconds']));
    expect((await call('POST', '/api/v1/scrape-targets', { job: 'app', url: app.url }, env.oncall.accessToken)).status).toBe(403);
    const created = await call('POST', '/api/v1/scrape-targets', { job: 'app', url: app.url });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ instance: new URL(app.url).host, state: 'pending', intervalSeconds: 15, sampleLimit: 10_000, source: 'app' });
    expect((await call('POST', '/api/v1/scrape-targets', { job: 'app', url: app.url })).status).toBe(409);
  });

  it('lists the SERVICES_FILE target, which can be paused but not edited or deleted here', async () => {
    const list = (await call('GET', '/api/v1/scrape-targets')).body as ScrapeTarget[];
    const declared = list.find((t) => t.source === 'services')!;
    expect(declared).toMatchObject({ job: 'billing-api', labels: { tier: 'api' } });
    expect((await call('PATCH', `/api/v1/scrape-targets/${declared.id}`, { intervalSeconds: 60 })).status).toBe(409);
    expect((await call('DELETE', `/api/v1/scrape-targets/${declared.id}`)).status).toBe(409);
    expect((await call('PATCH', `/api/v1/scrape-targets/${declared.id}`, { paused: true })).body).toMatchObject({ state: 'paused' });
  });

  it('scrapes the text format, renames exposed job/instance, and lets a vanished series go stale', async () => {
    const target = ((await call('GET', '/api/v1/scrape-targets')).body as ScrapeTarget[]).find((t) => t.job === 'app')!;
    app.body = '# TYPE queue_depth gauge\nqueue_depth{queue="mail",job="worker"} 7\nqueue_depth{queue="sms"} 3\n';
    const scraped = await call('POST', `/api/v1/scrape-targets/${target.id}/scrape`);
    expect(scraped.body).toMatchObject({ state: 'up', lastSamples: 2, lastError: null });
    expect(latest('queue_depth').map((s) => s.labels).sort((a, b) => a.queue!.localeCompare(b.queue!))).toEqual([
      { queue: 'mail', exported_job: 'worker', job: 'app', instance: target.instance },
      { queue: 'sms', job: 'app', instance: target.instance },
    ]);
    expect(latest('up').find((s) => s.labels.job === 'app')?.value).toBe(1);
    app.body = 'queue_depth{queue="sms"} 4\n';
    env.clock.advance(15_000);
    await call('POST', `/api/v1/scrape-targets/${target.id}/scrape`);
    expect(latest('queue_depth').map((s) => [s.labels.queue, s.value])).toEqual([['sms', 4]]);
  });

  it('fails a scrape over the sample limit or with a malformed line (up = 0, the error kept, series stale)', async () => {
    const target = ((await call('GET', '/api/v1/scrape-targets')).body as ScrapeTarget[]).find((t) => t.job === 'app')!;
    await call('PATCH', `/api/v1/scrape-targets/${target.id}`, { sampleLimit: 2 });
    app.body = 'a 1\nb 2\nc 3\n';
    const over = await call('POST', `/api/v1/scrape-targets/${target.id}/scrape`);
    expect(over.body).toMatchObject({ state: 'down', lastError: '3 samples exceed the sample limit of 2' });
    expect(latest('up').find((s) => s.labels.job === 'app')?.value).toBe(0);
    expect(latest('queue_depth')).toEqual([]);
    app.body = 'a 1\nb{x="1" 2\n';
    const bad = await call('POST', `/api/v1/scrape-targets/${target.id}/scrape`);
    expect((bad.body as ScrapeTarget).lastError).toMatch(/^line 2: expected , or }/);
  });

  it('scrapes OpenMetrics (Debian Prometheus answers it when asked) and a deleted target goes stale, up included', async () => {
    const created = await call('POST', '/api/v1/scrape-targets', { job: 'prometheus', url: prometheus.url });
    const id = (created.body as ScrapeTarget).id;
    const scraped = (await call('POST', `/api/v1/scrape-targets/${id}/scrape`)).body as ScrapeTarget;
    expect(scraped).toMatchObject({ state: 'up', lastError: null });
    expect(latest('prometheus_build_info').find((s) => s.labels.job === 'prometheus')).toBeDefined();
    expect((await call('DELETE', `/api/v1/scrape-targets/${id}`)).status).toBe(204);
    expect(latest('up').filter((s) => s.labels.job === 'prometheus')).toEqual([]);
    expect(latest('prometheus_build_info').filter((s) => s.labels.job === 'prometheus')).toEqual([]);
  });
});
