import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { Config } from '../src/platform/config/config';
import { parseConfig } from '../src/platform/config/config';
import { resolveConfig } from '../src/platform/config/secrets';
import type { Clock } from '../src/platform/clock';
import { startServer, type RunningServer } from '../src/app/server';
import { freePort } from './postgres-cluster';

export type DbKind = 'sqlite' | 'postgres';
/** Integration tests run once per database. */
export const DATABASES: DbKind[] = ['sqlite', 'postgres'];

let dbCounter = 0;

/** A fresh, empty PostgreSQL database in the run's cluster. */
export async function createPgDatabase(): Promise<string> {
  const base = inject('pgUrl');
  const name = `t_${process.pid}_${Date.now()}_${dbCounter++}`;
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return `${base}/${name}`;
}

export function tempDir(prefix = 'opsdesk-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function testConfig(kind: DbKind, overrides: Record<string, string> = {}): Promise<Config> {
  const dataDir = tempDir();
  // No job-worker processes unless a test asks for them (JOB_WORKERS=1): most tests run jobs in-process.
  const env: Record<string, string> = { DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', JOB_WORKERS: '0', ...overrides };
  if (kind === 'postgres' && !overrides.DATABASE_URL) env.DATABASE_URL = await createPgDatabase();
  return resolveConfig(parseConfig(env));
}

export interface TestServer extends RunningServer {
  config: Config;
  /** fetch against the server with JSON in and out. */
  api: ApiCaller;
  /** Stops the server and removes its data folder. */
  dispose(): Promise<void>;
}

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export type ApiCaller = <T = any>(method: string, url: string, options?: { body?: unknown; token?: string; headers?: Record<string, string>; raw?: string }) => Promise<ApiResponse<T>>;

export function makeApiCaller(baseUrl: string): ApiCaller {
  return async (method, url, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    if (options.raw !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(`${baseUrl}${url}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed as any, headers: res.headers };
  };
}

/** Starts a real server (in this process) on a free port with a fresh database. */
export async function startTestServer(kind: DbKind, options: { env?: Record<string, string>; clock?: Clock } = {}): Promise<TestServer> {
  const config = await testConfig(kind, options.env);
  const server = await startServer(config, { clock: options.clock });
  return {
    ...server,
    config,
    api: makeApiCaller(server.url),
    async dispose() {
      await server.stop();
      rmSync(config.DATA_DIR, { recursive: true, force: true });
    },
  };
}

export const ADMIN = { email: 'admin@example.com', password: 'correct-horse-battery-staple', name: 'Admin' };

/** Creates a user directly through the service layer (as the CLI does) and signs them in. */
export async function createUserAndLogin(
  server: TestServer,
  user: { email: string; password: string; name?: string; role: 'agent' | 'oncall' | 'admin' },
): Promise<{ id: string; accessToken: string; refreshToken: string }> {
  const created = await server.services.userService.create({ id: null, email: 'test', ip: null }, { name: user.name ?? user.email, ...user });
  const res = await server.api<{ accessToken: string; refreshToken: string }>('POST', '/api/v1/auth/login', { body: { email: user.email, password: user.password } });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: created.id, accessToken: res.body.accessToken, refreshToken: res.body.refreshToken };
}

/** A redis-server on a free loopback port (or `port`, to restart it), no automatic persistence; `dir` is where a BGSAVE writes dump.rdb. */
export async function startRedis(options: { port?: number; dir?: string } = {}): Promise<{ url: string; stop(): Promise<void> }> {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? tempDir('opsdesk-redis-');
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  const { Redis } = await import('ioredis');
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      break;
    } catch {
      probe.disconnect();
      if (Date.now() > deadline) throw new Error('redis-server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
