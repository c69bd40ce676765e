import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../backend/test-support/postgres-cluster';
import { startServerProcess, stop } from './lib/measure';

/**
 * The backup benchmark (issue 17, Backups), on a ~1 GB SQLite database of seeded tickets
 * (`seed-demo`, BENCH_BACKUP_TICKETS, default 270,000; BENCH_BACKUP_DB=<DATA_DIR> reuses a seeded
 * folder). Back to back on the same file, BENCH_BACKUP_ROUNDS times (default 3, alternating):
 * - the peer pipeline `sqlite3 <db> ".backup <tmp>" && gzip -1 <tmp> && sha256sum <tmp>.gz`;
 * - OpsDesk's backup as the runbook takes it: POST /api/v1/backups → the backup-database job on
 *   the compiled server (online copy, integrity_check and row counts of the copy, compression,
 *   AES-256-GCM, sha256, signed manifest), with GET /api/v1/me asked every 100 ms during it (p99
 *   and max: the event loop stays free).
 * Target: OpsDesk ≤ 1.3× the peer pipeline.
 */
const root = path.resolve(import.meta.dirname, '..');
const tickets = Number(process.env.BENCH_BACKUP_TICKETS ?? 270_000);
const rounds = Number(process.env.BENCH_BACKUP_ROUNDS ?? 3);
const reuse = process.env.BENCH_BACKUP_DB;
const dataDir = reuse ?? mkdtempSync(path.join(os.tmpdir(), 'opsdesk-bench-backups-'));
const env = { DATA_DIR: dataDir, LOG_LEVEL: 'error', LOGIN_IP_MAX_PER_MINUTE: '100000', ACCESS_TOKEN_TTL_SECONDS: '3600', OPS_SCHEDULERS: 'false', BACKUP_MIN_FREE_MB: '0' };
const dbFile = path.join(dataDir, 'opsdesk.db');
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const load = () => os.loadavg()[0]!.toFixed(1);

const seedStart = Date.now();
const cli = (args: string[], input?: string) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'backend/src/cli.ts', ...args], { cwd: root, env: { ...process.env, ...env }, input, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`cli ${args[0]} failed: ${r.stderr.toString()}${r.stdout.toString().slice(-2000)}`);
};
if (!(reuse && existsSync(dbFile))) cli(['seed-demo', '--tickets', String(tickets)]);
const email = `bench-${Date.now()}@example.com`;
const password = `bench-${randomBytes(9).toString('hex')}`;
cli(['create-admin', '--email', email, '--password-stdin'], `${password}\n`);
execFileSync('sqlite3', [dbFile, 'PRAGMA wal_checkpoint(TRUNCATE);']);
const dbBytes = statSync(dbFile).size;
console.log(`database ${(dbBytes / 1048576).toFixed(0)} MiB (${reuse ? `reused ${dataDir}` : `${tickets.toLocaleString('en-US')} tickets`}), ready in ${seconds(Date.now() - seedStart)} s`);

const built = spawnSync('npm', ['run', '-s', 'build:backend'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) throw new Error('npm run build:backend failed');
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = await startServerProcess([path.join(root, 'out/backend/main.js')], { ...env, PORT: String(port) }, `${base}/health/`);
const token = ((await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) })).json()) as { accessToken: string }).accessToken;
const auth = { authorization: `Bearer ${token}` };
const backupDir = path.join(dataDir, 'backups');

/** The peer: sqlite3's .backup, then gzip -1, then sha256sum of the .gz, one after another. */
function peer(): { total: number; phases: string } {
  const tmp = path.join(dataDir, 'peer-copy.db');
  rmSync(`${tmp}.gz`, { force: true });
  const t0 = Date.now();
  execFileSync('sqlite3', [dbFile, `.backup ${tmp}`]);
  const t1 = Date.now();
  execFileSync('gzip', ['-1', tmp]);
  const t2 = Date.now();
  execFileSync('sha256sum', [`${tmp}.gz`]);
  const t3 = Date.now();
  const gz = statSync(`${tmp}.gz`).size;
  rmSync(`${tmp}.gz`, { force: true });
  return { total: t3 - t0, phases: `.backup ${seconds(t1 - t0)} s, gzip -1 ${seconds(t2 - t1)} s, sha256sum ${seconds(t3 - t2)} s; ${(gz / 1048576).toFixed(0)} MiB` };
}

interface Ours {
  total: number;
  phases: string;
  light: { n: number; p99: number; max: number };
}

type Job = { status: string; startedAt: number; finishedAt: number; result: { file: string } };

/** OpsDesk: the backup-database job, with /me asked every 100 ms while it runs. */
async function ours(): Promise<Ours> {
  // The peer ran for a while: a keep-alive socket the server has closed meanwhile fails once; a GET refreshes the pool.
  for (let attempt = 1; ; attempt++) {
    try {
      await (await fetch(`${base}/health/`)).arrayBuffer();
      break;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
  const t0 = Date.now();
  const job = (await (await fetch(`${base}/api/v1/backups`, { method: 'POST', headers: auth })).json()) as { id: string };
  const lat: number[] = [];
  let done: Job | null = null;
  // A light request every 100 ms (what a desktop's polling looks like), answered while the backup runs.
  for (let i = 1; !done; i++) {
    const s = performance.now();
    const me = await fetch(`${base}/api/v1/me`, { headers: auth });
    await me.arrayBuffer();
    lat.push(performance.now() - s);
    if (i % 10 === 0) {
      const j = (await (await fetch(`${base}/api/v1/jobs/${job.id}`, { headers: auth })).json()) as Job;
      if (j.status !== 'queued' && j.status !== 'running') done = j;
    }
    await new Promise((r) => setTimeout(r, Math.max(0, 100 - (performance.now() - s))));
  }
  const total = done.finishedAt - t0;
  if (done.status !== 'succeeded') throw new Error(`backup job ${done.status}: ${JSON.stringify(done)}`);
  const logs = (await (await fetch(`${base}/api/v1/jobs/${job.id}/logs?limit=200`, { headers: auth })).json()) as { lines: { at: number; line: string }[] };
  const steps = logs.lines.map((l, i) => `${seconds((logs.lines[i + 1]?.at ?? done.finishedAt) - l.at).padStart(5)} s  ${l.line.slice(0, 110)}`);
  const size = statSync(done.result.file).size;
  for (const f of readdirSync(backupDir)) rmSync(path.join(backupDir, f), { force: true });
  lat.sort((a, b) => a - b);
  return {
    total,
    phases: `job ${seconds(done.finishedAt - done.startedAt)} s; ${(size / 1048576).toFixed(0)} MiB\n    ${steps.join('\n    ')}`,
    light: { n: lat.length, p99: lat[Math.floor(lat.length * 0.99)]!, max: lat.at(-1)! },
  };
}

/** /me every 100 ms for `n` requests with no backup running: the latency the machine gives anyway. */
async function idleLatency(n: number): Promise<{ p99: number; max: number }> {
  const lat: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await (await fetch(`${base}/api/v1/me`, { headers: auth })).arrayBuffer();
    lat.push(performance.now() - s);
    await new Promise((r) => setTimeout(r, Math.max(0, 100 - (performance.now() - s))));
  }
  lat.sort((a, b) => a - b);
  return { p99: lat[Math.floor(lat.length * 0.99)]!, max: lat.at(-1)! };
}

// Both read the database from the page cache.
for await (const _chunk of createReadStream(dbFile, { highWaterMark: 1 << 20 }));
const results: { peer: number; ours: number }[] = [];
try {
  for (let r = 1; r <= rounds; r++) {
    const p = peer();
    console.log(`round ${r} peer   ${seconds(p.total)} s (${p.phases}); load ${load()}`);
    const idle = await idleLatency(100);
    console.log(`round ${r} GET /me every 100 ms, no backup running: p99 ${idle.p99.toFixed(0)} ms, max ${idle.max.toFixed(0)} ms; load ${load()}`);
    const o = await ours();
    console.log(`round ${r} OpsDesk ${seconds(o.total)} s (${o.phases})`);
    console.log(`round ${r} GET /me during the backup: ${o.light.n} requests, p99 ${o.light.p99.toFixed(0)} ms, max ${o.light.max.toFixed(0)} ms; load ${load()}`);
    results.push({ peer: p.total, ours: o.total });
  }
} finally {
  // A failed round must not leave the server running.
  await stop(server);
}
if (!reuse) rmSync(dataDir, { recursive: true, force: true });

const ratios = results.map((r) => r.ours / r.peer).sort((a, b) => a - b);
const mid = ratios[Math.floor(ratios.length / 2)]!;
console.log(`\nbackup of a ${(dbBytes / 1048576).toFixed(0)} MiB SQLite database, ${rounds} rounds: OpsDesk ${results.map((r) => seconds(r.ours)).join(' / ')} s vs peer (sqlite3 .backup + gzip -1 + sha256sum) ${results.map((r) => seconds(r.peer)).join(' / ')} s; ratio per round ${results.map((r) => (r.ours / r.peer).toFixed(2)).join(', ')}, median ${mid.toFixed(2)}× (target ≤ 1.3×); load average ${load()} on ${os.cpus().length} CPUs`);
process.exit(0);
