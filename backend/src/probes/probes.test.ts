import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test-support/harness';
import { closedPort, startDns, startHttp, type LocalDns, type LocalHttp } from '../../test-support/probe-servers';
import { startProbeServer, type ProbeTestEnv } from '../../test-support/probes';

let env: ProbeTestEnv;
let web: LocalHttp;
let dns: LocalDns;

beforeAll(async () => {
  env = await startProbeServer();
  web = await startHttp();
  dns = await startDns({ 'db.internal.test': '10.0.0.7' });
});
afterAll(async () => {
  await web.close();
  await dns.close();
  await env.server.dispose();
});

// The state, results, metrics and alert path once more on PostgreSQL.
describe.each(DATABASES.filter((k) => k === 'postgres'))('on %s', (kind) => {
  it('a keyword probe goes down and up with its alert; the secret is sealed', async () => {
    const pg = await startProbeServer({}, kind);
    try {
      web.body = 'operational';
      const p = await pg.create({ name: 'pg web', kind: 'http', target: `${web.url}/private`, keyword: 'operational', authType: 'bearer', secret: 'tok-123' });
      expect(p.status).toBe(201);
      expect((await pg.check(p.body.id)).state).toBe('up');
      web.body = 'outage';
      expect((await pg.check(p.body.id)).state).toBe('down');
      expect(await pg.openAlert('pg web')).toMatchObject({ name: 'Probe down: pg web', source: 'probe' });
      web.body = 'operational';
      expect((await pg.check(p.body.id)).state).toBe('up');
      expect(await pg.openAlert('pg web')).toBeUndefined();
      const results = await pg.server.api('GET', `/api/v1/probes/${p.body.id}/results`, { token: pg.token });
      expect(results.body.map((r: { success: boolean }) => r.success)).toEqual([true, false, true]);
      const stored = await pg.server.services.database.db.selectFrom('probes').select('secret').executeTakeFirstOrThrow();
      expect(stored.secret).not.toContain('tok-123');
    } finally {
      await pg.server.dispose();
    }
  });
});

const metric = (name: string, probe: string) => env.server.services.metricStore.current(name, 60_000).find((s) => s.labels.probe === probe);

describe('HTTP probes', () => {
  it('a keyword probe flips down and up: state, metrics, results and the alert follow', async () => {
    const created = await env.create({ name: 'status page', kind: 'http', target: `${web.url}/`, keyword: 'operational', severity: 'critical' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'pending', kind: 'http', expectedStatus: '200-299', secretSet: false });
    const id = created.body.id as string;

    let p = await env.check(id);
    expect(p).toMatchObject({ state: 'up', lastError: null });
    expect(p.lastLatencyMs).toBeGreaterThan(0);
    expect(metric('probe_success', 'status page')?.value).toBe(1);
    expect(metric('probe_duration_seconds', 'status page')?.value).toBeGreaterThan(0);
    expect(await env.openAlert('status page')).toBeUndefined();

    web.body = '<h1>Major outage</h1>';
    p = await env.check(id);
    expect(p).toMatchObject({ state: 'down', lastError: 'keyword "operational" not found' });
    expect(metric('probe_success', 'status page')?.value).toBe(0);
    const alert = await env.openAlert('status page');
    expect(alert).toMatchObject({ name: 'Probe down: status page', severity: 'critical', status: 'firing' });
    expect(alert.summary).toContain('keyword "operational" not found');

    // A repeat failure does not raise again.
    await env.check(id);
    expect((await env.openAlert('status page')).count).toBe(1);

    web.body = '<h1>All systems operational</h1>';
    p = await env.check(id);
    expect(p.state).toBe('up');
    expect(await env.openAlert('status page')).toBeUndefined();
    const resolved = await env.server.api('GET', `/api/v1/alerts/${alert.id}`, { token: env.token });
    expect(resolved.body).toMatchObject({ status: 'resolved', resolveReason: 'probe is up' });

    const results = await env.server.api('GET', `/api/v1/probes/${id}/results?limit=10`, { token: env.token });
    expect(results.body.map((r: { success: boolean }) => r.success)).toEqual([true, false, false, true]);
  });

  it('keyword absent, expected status, custom headers, and redirects followed or not', async () => {
    web.body = 'fine';
    const absent = await env.create({ name: 'no errors', kind: 'http', target: web.url, keyword: 'Exception', keywordMode: 'absent', headers: { 'x-probe-team': 'platform' } });
    expect((await env.check(absent.body.id)).state).toBe('up');
    expect(web.lastHeaders?.['x-probe-team']).toBe('platform');
    web.body = 'NullPointerException at line 3';
    expect(await env.check(absent.body.id)).toMatchObject({ state: 'down', lastError: 'keyword "Exception" is present' });

    web.status = 503;
    const status = await env.create({ name: 'expects 503', kind: 'http', target: web.url, expectedStatus: '500-503' });
    expect((await env.check(status.body.id)).state).toBe('up');
    web.status = 200;
    expect(await env.check(status.body.id)).toMatchObject({ state: 'down', lastError: 'HTTP 200, expected 500-503' });

    const follow = await env.create({ name: 'redirect followed', kind: 'http', target: `${web.url}/redirect` });
    expect((await env.check(follow.body.id)).state).toBe('up');
    const stay = await env.create({ name: 'redirect not followed', kind: 'http', target: `${web.url}/redirect`, followRedirects: false });
    expect(await env.check(stay.body.id)).toMatchObject({ state: 'down', lastError: 'HTTP 302, expected 200-299' });
    const head = await env.create({ name: 'redirect as expected', kind: 'http', target: `${web.url}/redirect`, followRedirects: false, expectedStatus: '301-302', method: 'HEAD' });
    expect((await env.check(head.body.id)).state).toBe('up');
  });

  it('basic and bearer auth use stored secrets that the API never returns', async () => {
    const basic = await env.create({ name: 'private basic', kind: 'http', target: `${web.url}/private`, authType: 'basic', authUsername: 'probe', secret: 's3cret-pass' });
    expect(basic.status).toBe(201);
    expect(basic.body.secretSet).toBe(true);
    expect(JSON.stringify(basic.body)).not.toContain('s3cret-pass');
    expect((await env.check(basic.body.id)).state).toBe('up');
    const listed = await env.server.api('GET', '/api/v1/probes', { token: env.token });
    expect(JSON.stringify(listed.body)).not.toContain('s3cret-pass');
    const stored = await env.server.services.database.db.selectFrom('probes').select('secret').where('id', '=', basic.body.id).executeTakeFirstOrThrow();
    expect(stored.secret).toMatch(/^v1:/);
    expect(stored.secret).not.toContain('s3cret-pass');

    // An update without the secret keeps it; a wrong one breaks the check.
    await env.server.api('PATCH', `/api/v1/probes/${basic.body.id}`, { token: env.token, body: { timeoutSeconds: 5 } });
    expect((await env.check(basic.body.id)).state).toBe('up');
    await env.server.api('PATCH', `/api/v1/probes/${basic.body.id}`, { token: env.token, body: { secret: 'wrong' } });
    expect(await env.check(basic.body.id)).toMatchObject({ state: 'down', lastError: 'HTTP 401, expected 200-299' });

    const bearer = await env.create({ name: 'private bearer', kind: 'http', target: `${web.url}/private`, authType: 'bearer', secret: 'tok-123' });
    expect((await env.check(bearer.body.id)).state).toBe('up');
    const missing = await env.create({ name: 'no token', kind: 'http', target: web.url, authType: 'bearer' });
    expect(missing.status).toBe(400);
    expect(missing.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'body.secret', message: 'a token is required' })]));
  });

  it('retries before down and for-duration hold the alert back', async () => {
    web.body = 'no keyword here';
    const p = await env.create({ name: 'patient', kind: 'http', target: web.url, keyword: 'ready', retries: 1, forSeconds: 60 });
    expect((await env.check(p.body.id)).state).toBe('pending');
    expect((await env.check(p.body.id)).state).toBe('pending'); // second failure: past retries, waiting for 60 s
    expect(await env.openAlert('patient')).toBeUndefined();
    env.clock.advance(61_000);
    expect((await env.check(p.body.id)).state).toBe('down');
    expect(await env.openAlert('patient')).toBeDefined();
  });
});

describe('TCP and DNS probes', () => {
  it('a TCP probe is down on a closed port and up on an open one', async () => {
    const port = await closedPort();
    const p = await env.create({ name: 'redis port', kind: 'tcp', target: `127.0.0.1:${port}`, timeoutSeconds: 2 });
    expect(await env.check(p.body.id)).toMatchObject({ state: 'down' });
    expect((await env.check(p.body.id)).lastError).toContain('ECONNREFUSED');
    const server = net.createServer((s) => s.end());
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      expect((await env.check(p.body.id)).state).toBe('up');
      expect(await env.openAlert('redis port')).toBeUndefined();
    } finally {
      server.close();
    }
  });

  it('a DNS probe asks the configured server for the record type and checks the answer', async () => {
    const p = await env.create({ name: 'db record', kind: 'dns', target: 'db.internal.test', recordType: 'A', expectedAnswer: '10.0.0.7', dnsServer: dns.server, timeoutSeconds: 2 });
    expect(await env.check(p.body.id)).toMatchObject({ state: 'up', lastError: null });
    dns.records.set('db.internal.test', '10.0.0.9');
    expect(await env.check(p.body.id)).toMatchObject({ state: 'down', lastError: 'A answered 10.0.0.9, expected 10.0.0.7' });
    dns.records.delete('db.internal.test');
    expect((await env.check(p.body.id)).lastError).toContain('ENOTFOUND');
  });
});

describe('probe API', () => {
  it('validates per kind with the field named, and rejects a duplicate name', async () => {
    const bad = await env.create({ name: 'x', kind: 'tcp', target: 'no-port-here' });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'body.target', message: 'must be host:port' })]);
    const url = await env.create({ name: 'x', kind: 'http', target: 'ftp://example.test/' });
    expect(url.body.details[0]).toMatchObject({ field: 'body.target' });
    const timeout = await env.create({ name: 'x', kind: 'http', target: web.url, intervalSeconds: 10, timeoutSeconds: 20 });
    expect(timeout.body.details[0]).toMatchObject({ field: 'body.timeoutSeconds', message: 'must not be longer than the interval' });
    const header = await env.create({ name: 'x', kind: 'http', target: web.url, headers: { 'x-a': 'line\r\nbreak' } });
    expect(header.status).toBe(400);
    const credentials = await env.create({ name: 'x', kind: 'http', target: web.url, headers: { Authorization: 'Bearer secret-in-clear' } });
    expect(credentials.body.details[0]).toMatchObject({ field: 'body.headers', message: 'put credentials in the authentication settings, not in headers' });
    await env.create({ name: 'unique', kind: 'http', target: web.url });
    expect((await env.create({ name: 'unique', kind: 'http', target: web.url })).status).toBe(409);
    const created = await env.create({ name: 'to change', kind: 'http', target: web.url });
    const patched = await env.server.api('PATCH', `/api/v1/probes/${created.body.id}`, { token: env.token, body: { kind: 'tcp' } });
    expect(patched.status).toBe(400);
    expect(patched.body.details[0]).toMatchObject({ field: 'body.target', message: 'must be host:port' });
  });

  it('pause resolves the alert and stops the schedule; resume and delete', async () => {
    web.body = 'nothing';
    const p = await env.create({ name: 'pausable', kind: 'http', target: web.url, keyword: 'ok-marker' });
    expect((await env.check(p.body.id)).state).toBe('down');
    expect(await env.openAlert('pausable')).toBeDefined();
    const paused = await env.server.api('POST', `/api/v1/probes/${p.body.id}/pause`, { token: env.token });
    expect(paused.body).toMatchObject({ paused: true, state: 'paused' });
    expect(await env.openAlert('pausable')).toBeUndefined();
    const resumed = await env.server.api('POST', `/api/v1/probes/${p.body.id}/resume`, { token: env.token });
    expect(resumed.body).toMatchObject({ paused: false, state: 'pending' });
    expect((await env.check(p.body.id)).state).toBe('down');
    expect((await env.server.api('DELETE', `/api/v1/probes/${p.body.id}`, { token: env.token })).status).toBe(204);
    expect(await env.openAlert('pausable')).toBeUndefined();
    expect((await env.server.api('GET', `/api/v1/probes/${p.body.id}`, { token: env.token })).status).toBe(404);
  });
});
