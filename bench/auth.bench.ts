import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { freePort } from '../backend/test-support/postgres-cluster';
import { hashConcurrency } from '../backend/src/auth/password-hasher';
import { load, startProcess, startServerProcess, stop, table, threadCpu, type LoadResult } from './lib/measure';

/**
 * Issue 3's benchmark: login throughput and authenticated GET /api/v1/me at 50 connections,
 * OpsDesk's backend vs a bare node:http process answering the same JSON.
 */
const root = path.resolve(import.meta.dirname, '..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'opsdesk-bench-auth-'));
const email = 'bench@example.com';
const password = 'measure-throughput-42';

const env = { DATA_DIR: dataDir, LOG_LEVEL: 'error', LOGIN_IP_MAX_PER_MINUTE: '100000', LOGIN_MAX_FAILURES: '100' };
const { spawnSync } = await import('node:child_process');
const created = spawnSync(process.execPath, ['--import', 'tsx', 'backend/src/cli.ts', 'create-admin', '--email', email, '--password-stdin'], {
  cwd: root,
  input: password,
  env: { ...process.env, ...env },
});
if (created.status !== 0) throw new Error(created.stderr.toString());

const port = await freePort();
const server = await startServerProcess(['--import', 'tsx', path.join(root, 'backend/src/main.ts')], { ...env, LOG_LEVEL: 'info', PORT: String(port) }, `http://127.0.0.1:${port}/health/`);
const base = `http://127.0.0.1:${port}`;
const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
const session = (await login.json()) as { accessToken: string; user: unknown };

const Database = (await import('better-sqlite3')).default;
const hash = (new Database(path.join(dataDir, 'opsdesk.db'), { readonly: true }).prepare('select password_hash from users').get() as { password_hash: string }).password_hash;
const barePort = await freePort();
const bare = await startProcess(['--import', 'tsx', path.join(root, 'bench/lib/bare-auth-server.ts')], { PORT: String(barePort), HASH: hash, USER_JSON: JSON.stringify(session.user) }, 'listening');
const bareBase = `http://127.0.0.1:${barePort}`;
// The same bare server with OpsDesk's bound on concurrent verifications, to show what the bound gives.
const boundPort = await freePort();
const bound = await startProcess(
  ['--import', 'tsx', path.join(root, 'bench/lib/bare-auth-server.ts')],
  { PORT: String(boundPort), HASH: hash, USER_JSON: JSON.stringify(session.user), HASH_CONCURRENCY: String(hashConcurrency()) },
  'listening',
);
const boundBase = `http://127.0.0.1:${boundPort}`;

const loginReq = { method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) };
const meReq = { headers: { authorization: `Bearer ${session.accessToken}` } };
// Warm-up (JIT, statement caches, the server's start-up work) before anything is measured, as the tickets bench does.
await load({ url: `${base}/api/v1/auth/login`, ...loginReq, duration: 5 });
await load({ url: `${bareBase}/api/v1/auth/login`, ...loginReq, duration: 5 });
await load({ url: `${boundBase}/api/v1/auth/login`, ...loginReq, duration: 5 });
// CPU per sign-in from /proc (all threads: argon2 runs in the libuv pool): steadier than the
// throughput on a shared machine, where the two 10 s windows see different loads.
const cpuPerLogin = async (pid: number, run: () => Promise<LoadResult>) => {
  const cpu = threadCpu(pid);
  const r = await run();
  const { main, all } = cpu();
  return { ...r, mainMsPerReq: (main * 1000) / r.total, cpuMsPerReq: (all * 1000) / r.total };
};
const results = {
  loginOps: await cpuPerLogin(server.pid!, () => load({ url: `${base}/api/v1/auth/login`, ...loginReq })),
  loginBare: await cpuPerLogin(bare.pid!, () => load({ url: `${bareBase}/api/v1/auth/login`, ...loginReq })),
  loginBound: await cpuPerLogin(bound.pid!, () => load({ url: `${boundBase}/api/v1/auth/login`, ...loginReq })),
  meOps: await load({ url: `${base}/api/v1/me`, ...meReq }),
  meBare: await load({ url: `${bareBase}/api/v1/me`, ...meReq }),
};
await stop(server);
await stop(bare);
await stop(bound);
rmSync(dataDir, { recursive: true, force: true });

table([
  { case: 'POST /auth/login (OpsDesk)', ...results.loginOps },
  { case: 'POST /auth/login (bare node:http + argon2)', ...results.loginBare },
  { case: `POST /auth/login (bare, ${hashConcurrency()} verifications at once as OpsDesk)`, ...results.loginBound },
  { case: 'GET /me (OpsDesk)', ...results.meOps },
  { case: 'GET /me (bare node:http)', ...results.meBare },
]);
console.log(`login throughput ratio OpsDesk/bare: ${(results.loginOps.reqPerSec / results.loginBare.reqPerSec).toFixed(2)} (target ≥ 0.9); load average ${os.loadavg()[0]!.toFixed(1)}`);
console.log(`login CPU per sign-in: OpsDesk ${results.loginOps.cpuMsPerReq.toFixed(1)} ms (main thread ${results.loginOps.mainMsPerReq.toFixed(1)}) vs bare ${results.loginBare.cpuMsPerReq.toFixed(1)} ms = ${(results.loginBare.cpuMsPerReq / results.loginOps.cpuMsPerReq).toFixed(2)} of bare's rate when CPU-bound`);
console.log(`login throughput ratio OpsDesk/bare with the same bound of ${hashConcurrency()} verifications at once: ${(results.loginOps.reqPerSec / results.loginBound.reqPerSec).toFixed(2)} (CPU per sign-in ${(results.loginBound.cpuMsPerReq / results.loginOps.cpuMsPerReq).toFixed(2)} of bare's)`);
console.log(`GET /me throughput ratio OpsDesk/bare: ${(results.meOps.reqPerSec / results.meBare.reqPerSec).toFixed(2)}`);
