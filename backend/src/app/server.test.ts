import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig, ConfigError } from '../platform/config/config';
import { startServer } from './server';
import { makeApiCaller, startTestServer, tempDir, testConfig } from '../../test-support/harness';
import { READY_LINE } from '../../test-support/backend-process';
import { freePort, startPgCluster } from '../../test-support/postgres-cluster';

const root = path.resolve(import.meta.dirname, '../../..');

describe('configuration', () => {
  it('rejects an invalid value with one line naming the variable', () => {
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/^Invalid configuration: PORT /);
    expect(() => parseConfig({ DATABASE_URL: 'mysql://x' })).toThrow(
      /DATABASE_URL must start with postgres:\/\//,
    );
    expect(() => parseConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('reads a config file, with the environment taking precedence, and rejects unknown keys', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'opsdesk.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, JSON.stringify({ PORT: 9100, HOST: '127.0.0.2' }));
    expect(parseConfig({ CONFIG_FILE: file, HOST: '127.0.0.1' })).toMatchObject({
      PORT: 9100,
      HOST: '127.0.0.1',
    });
    writeFileSync(file, JSON.stringify({ PORTT: 1 }));
    expect(() => parseConfig({ CONFIG_FILE: file })).toThrow(/unknown setting PORTT/);
    rmSync(dir, { recursive: true });
  });

  it('generates secrets on first start and keeps them with mode 0600', async () => {
    const a = await testConfig('sqlite');
    const b = await testConfig('sqlite', { DATA_DIR: a.DATA_DIR });
    expect(a.JWT_SECRET).toHaveLength(64);
    expect(b.JWT_SECRET).toBe(a.JWT_SECRET);
    const { statSync } = await import('node:fs');
    expect(statSync(path.join(a.DATA_DIR, 'secrets.json')).mode & 0o777).toBe(0o600);
  });

  it('the server process exits non-zero with the one-line message', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'backend/src/main.ts'], {
      cwd: root,
      env: { ...process.env, PORT: 'abc', DATA_DIR: tempDir() },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/PORT/);
  });
});

describe('health and metrics', () => {
  it('reports healthy, then 503 when the SQLite database is gone', async () => {
    const server = await startTestServer('sqlite');
    const ok = await server.api('GET', '/health/');
    expect(ok.status).toBe(200);
    expect(ok.body.checks.map((c: { name: string }) => c.name)).toEqual(
      expect.arrayContaining(['database', 'storage']),
    );
    expect((await server.api('GET', '/readyz')).status).toBe(200);
    expect((await server.api('GET', '/livez')).body).toMatchObject({ status: 'ok' });
    server.services.database.sqlite!.close();
    const down = await server.api('GET', '/health/');
    expect(down.status).toBe(503);
    expect(down.body.checks.find((c: { name: string }) => c.name === 'database').status).toBe('down');
    // Not ready while the database is gone, but alive: a restart would not bring the database back.
    expect((await server.api('GET', '/readyz')).status).toBe(503);
    expect((await server.api('GET', '/livez')).status).toBe(200);
    await server.stop().catch(() => {});
  });

  it('reports 503 when PostgreSQL is stopped', async () => {
    const cluster = await startPgCluster();
    const config = await testConfig('postgres', { DATABASE_URL: `${cluster.url}/postgres` });
    const server = await startServer(config);
    const api = makeApiCaller(server.url);
    expect((await api('GET', '/health/')).status).toBe(200);
    cluster.stop();
    const down = await api('GET', '/health/');
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('down');
    await server.stop();
  }, 60_000);

  it('exposes Prometheus metrics', async () => {
    const server = await startTestServer('sqlite');
    await server.api('GET', '/api/v1/me');
    const res = await fetch(`${server.url}/metrics`);
    const text = await res.text();
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    expect(text).toMatch(
      /opsdesk_http_request_duration_seconds_bucket\{.*route="\/api\/v1\/me".*status_code="401"/,
    );
    expect(text).toContain('opsdesk_http_requests_total');
    expect(text).toContain('opsdesk_nodejs_eventloop_lag_seconds');
    expect(text).toContain('opsdesk_process_resident_memory_bytes');
    expect(text).toMatch(/opsdesk_db_query_duration_seconds_count\{outcome="ok"\} [1-9]/);
    expect(text).toContain('opsdesk_socket_connections');
    await server.dispose();
  });

  it('serves the OpenAPI document at /api/schema/ and the browsable UI', async () => {
    const server = await startTestServer('sqlite');
    const doc = await server.api('GET', '/api/schema/');
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/auth/login', '/api/v1/users']),
    );
    expect((await fetch(`${server.url}/api/docs/`)).status).toBe(200);
    await server.dispose();
  });
});

describe('graceful shutdown', () => {
  const children: ReturnType<typeof spawn>[] = [];
  afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

  it('drains in-flight requests on SIGTERM and exits 0', { timeout: 120_000 }, async () => {
    const port = await freePort();
    const dataDir = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', 'backend/src/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        LOGIN_IP_MAX_PER_MINUTE: '1000',
      },
    });
    children.push(child);
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`server did not start: ${stdout}`)), 60_000);
      child.stdout.on('data', () => stdout.includes(READY_LINE) && (clearTimeout(t), resolve()));
    });
    const api = makeApiCaller(`http://127.0.0.1:${port}`);
    // Password hashing keeps each login busy for tens of milliseconds. Signal only once the server has
    // read every request sent and still works on some (its own gauge and counter say so), so "in flight"
    // means in flight. A fast machine may finish a wave before the gauge is read: then send a bigger one
    // (three waves stay under LOGIN_IP_MAX_PER_MINUTE).
    const inflight: ReturnType<typeof api>[] = [];
    const loginsDone = (text: string) =>
      [...text.matchAll(/^opsdesk_http_requests_total\{[^}]*route="\/api\/v1\/auth\/login"[^}]*\} (\d+)/gm)].reduce((a, m) => a + Number(m[1]), 0);
    let active = 0;
    for (let wave = 1; wave <= 3 && active === 0; wave++) {
      const n = 60 * 2 ** wave;
      const start = inflight.length;
      for (let i = 0; i < n; i++) {
        inflight.push(api('POST', '/api/v1/auth/login', { body: { email: `x${start + i}@example.com`, password: 'some-password-x' } }));
      }
      for (;;) {
        const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        active = Number(/^opsdesk_http_active_requests (\d+)/m.exec(text)?.[1] ?? 0) - 1;
        if (active + loginsDone(text) >= inflight.length) break;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    expect(active).toBeGreaterThan(0);
    child.kill('SIGTERM');
    const results = await Promise.all(inflight);
    const seen = [...new Set(results.map((r) => `${r.status} ${JSON.stringify(r.body)}`))];
    expect(seen).toEqual([
      `401 ${JSON.stringify({ error: 'invalid_credentials', message: 'Email or password is incorrect' })}`,
    ]);
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(0);
    expect(stdout).toContain('stopped cleanly');
    rmSync(dataDir, { recursive: true, force: true });
  });
});
