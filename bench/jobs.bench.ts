import { rmSync } from 'node:fs';
import path from 'node:path';
import { io as connect } from 'socket.io-client';
import { loadConfig } from '../backend/src/platform/config/secrets';
import { startServer } from '../backend/src/app/server';
import { makeApiCaller } from '../backend/test-support/harness';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';

/** `npx tsx bench/jobs.bench.ts`: 1,000,000-line job streamed live (the backup benchmark is bench/backups.bench.ts). */
const rows: [string, string][] = [];
const dir = mkdtempSync(path.join(os.tmpdir(), 'opsdesk-bench-'));

async function logBench() {
  const config = loadConfig({ ...process.env, DATA_DIR: path.join(dir, 'srv'), PORT: '0', LOG_LEVEL: 'silent', JOB_WORKERS: '0', OPS_SCHEDULERS: 'false' });
  const server = await startServer(config);
  const api = makeApiCaller(server.url);
  await server.services.userService.create({ id: null, email: 'bench', ip: null }, { email: 'b@example.com', password: 'correct-horse-battery-9', name: 'B', role: 'admin' });
  const token = (await api('POST', '/api/v1/auth/login', { body: { email: 'b@example.com', password: 'correct-horse-battery-9' } })).body.accessToken as string;
  await api('PUT', '/api/v1/runbooks/commands/million', { token, body: { title: 'Million lines', argv: [process.execPath, '-e', "const out=[];for(let i=1;i<=1e6;i++){out.push('line '+i);if(out.length===1e4){process.stdout.write(out.join('\\n')+'\\n');out.length=0}}"], params: [], minRole: 'admin', timeoutSeconds: 3600 } });
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const socket = connect(server.url, { auth: { token }, transports: ['websocket'] });
  await new Promise((r) => socket.once('ready', r));
  const lat: number[] = [];
  let received = 0;
  socket.on('job.log', (b: { lines: { at: number }[] }) => {
    const now = Date.now();
    for (const l of b.lines) lat.push(now - l.at);
    received += b.lines.length;
  });
  const started = Date.now();
  const job = await api('POST', '/api/v1/jobs', { token, body: { runbook: 'million' } });
  const end = new Promise((r) => socket.once('job.log.end', r));
  await socket.emitWithAck('job.subscribe', { jobId: job.body.id, fromSeq: 0 });
  await end;
  const elapsed = Date.now() - started;
  clearInterval(sampler);
  const final = (await api('GET', `/api/v1/jobs/${job.body.id}`, { token })).body;
  lat.sort((a, b) => a - b);
  const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))]!;
  rows.push(['job lines persisted', String(final.logSeq)], ['lines streamed to subscriber', String(received)], ['job status', final.status], ['wall time (s)', (elapsed / 1000).toFixed(1)]);
  rows.push(['tail latency p50 / p99 / max (ms)', `${pct(50)} / ${pct(99)} / ${lat[lat.length - 1]}`], ['peak server RSS (MiB, server+client in one process)', (peakRss / 1048576).toFixed(0)]);
  socket.close();
  await server.stop();
}

await logBench();
rmSync(dir, { recursive: true, force: true });
const w = Math.max(...rows.map((r) => r[0].length));
for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
process.exit(0);
