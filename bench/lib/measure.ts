import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import autocannon from 'autocannon';

export interface LoadResult {
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Requests answered. */
  total: number;
}

/** autocannon against one request shape for `seconds`; latencies in ms. */
export async function load(options: autocannon.Options): Promise<LoadResult> {
  const r = await autocannon({ duration: 10, connections: 50, ...options });
  return { reqPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx, total: r.requests.total };
}

export function table(rows: Record<string, string | number>[]): void {
  console.table(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? Number(v.toFixed(2)) : v]))));
}

/** Starts a Node script in its own process and resolves once it prints `marker`. */
export function startProcess(args: string[], env: Record<string, string>, marker: string | RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      if (typeof marker === 'string' ? out.includes(marker) : marker.test(out)) {
        child.stdout!.off('data', onData);
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`process exited ${code}: ${out.slice(-2000)}`)));
  });
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Polls `url` until it answers, for processes that log nothing at start. */
export async function waitForHttp(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${url} did not answer`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export function startServerProcess(args: string[], env: Record<string, string>, healthUrl: string, timeoutMs?: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  return waitForHttp(healthUrl, timeoutMs).then(() => child);
}

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** CPU % (of one core) and RSS of a process from /proc, sampled every second. */
export function watchProcess(pid: number) {
  const ticks = 100;
  const read = () => {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return { cpu: (Number(f[11]) + Number(f[12])) / ticks, rss: Number(f[21]) * 4096 };
  };
  const start = { ...read(), at: performance.now() };
  let peakRss = start.rss;
  const timer = setInterval(() => (peakRss = Math.max(peakRss, read().rss)), 1000);
  return () => {
    clearInterval(timer);
    const end = { ...read(), at: performance.now() };
    return { cpuPercent: ((end.cpu - start.cpu) / ((end.at - start.at) / 1000)) * 100, rssMiB: end.rss / 1048576, peakRssMiB: Math.max(peakRss, end.rss) / 1048576 };
  };
}

/** Seconds of CPU a process spent from now until the returned function is called: its main thread (the event loop) and all its threads, from /proc. */
export function threadCpu(pid: number): () => { main: number; all: number } {
  const ticks = 100;
  const read = (file: string) => {
    const f = readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / ticks;
  };
  const start = { main: read(`/proc/${pid}/task/${pid}/stat`), all: read(`/proc/${pid}/stat`) };
  return () => ({ main: read(`/proc/${pid}/task/${pid}/stat`) - start.main, all: read(`/proc/${pid}/stat`) - start.all });
}

/**
 * Resolves once the process has used under `maxPercent` of one core for `quietMs` in a row (start-up
 * work finished), after at least `minMs`; rejects after `timeoutMs`.
 */
export async function quiet(pid: number, { maxPercent = 10, quietMs = 3000, minMs = 30_000, timeoutMs = 180_000 } = {}): Promise<void> {
  const started = Date.now();
  let calm = 0;
  while (Date.now() - started < timeoutMs) {
    const cpu = threadCpu(pid);
    await new Promise((r) => setTimeout(r, 1000));
    calm = cpu().all * 100 < maxPercent ? calm + 1000 : 0;
    if (calm >= quietMs && Date.now() - started >= minMs) return;
  }
  throw new Error(`process ${pid} was still busy after ${timeoutMs / 1000} s`);
}

/** A JSON call to the server under test; throws on a non-2xx answer. */
export async function api<T>(base: string, method: string, url: string, token: string | null, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * The backend under test in its own process (`backend/src/main.ts`, SQLite in a fresh DATA_DIR) with
 * an admin made by the CLI; resolves once it answers, with the admin's access token.
 */
export async function startBenchServer(root: string, name: string, extraEnv: Record<string, string> = {}): Promise<{ base: string; server: ChildProcess; token: string; dataDir: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `opsdesk-bench-${name}-`));
  const env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'error', ACCESS_TOKEN_TTL_SECONDS: '7200', ...extraEnv };
  const email = 'bench-admin@example.com';
  const password = 'zephyr-marmalade-8812';
  // The compiled server and CLI: what ships.
  const built = spawnSync('npm', ['run', '-s', 'build:backend'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build:backend failed');
  const created = spawnSync(process.execPath, ['out/backend/cli.js', 'create-admin', '--email', email, '--password-stdin'], { cwd: root, input: password, env });
  if (created.status !== 0) throw new Error(created.stderr.toString());
  const port = await freePort();
  const server = spawn(process.execPath, ['out/backend/main.js'], { cwd: root, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/api/v1/metrics/ping`);
  const token = (await api<{ accessToken: string }>(base, 'POST', '/api/v1/auth/login', null, { email, password })).accessToken;
  return { base, server, token, dataDir };
}
