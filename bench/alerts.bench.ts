import { fork, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { api, startBenchServer, watchProcess } from './lib/measure';
import { io, type Socket } from 'socket.io-client';

/**
 * Issue 5's benchmark, standalone: `npx tsx bench/alerts.bench.ts` (also run by `npm run bench`).
 * 1. 1,000 socket.io clients (in 2 worker processes) while 100 alerts/s are fired for 30 s through
 *    the generic webhook: fire → client receipt latency, and the server's CPU and memory.
 * 2. 10,000 active alerts: listing and filtering latency.
 * 3. Alertmanager webhook ingest throughput (50 new alerts per request) on SQLite.
 * The server runs in its own process with the default SQLite database. BENCH_CLIENTS, BENCH_RATE and
 * BENCH_SECONDS scale phase 1; BENCH_ONLY_FANOUT=1 stops after it (for diagnosis).
 */
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const WORKERS = 2;
const BUCKET_MS = 0.5;
const BUCKETS = 20_000; // up to 10 s

if (process.env.ALERTS_BENCH_WORKER) await clientWorker();
else await main();

/* ------------------------------------------------------------------ worker: socket clients */

async function clientWorker(): Promise<void> {
  const url = process.env.URL!;
  const token = process.env.TOKEN!;
  const count = Number(process.env.COUNT);
  const hist = new Uint32Array(BUCKETS + 1);
  let received = 0;
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + 50); j++) {
      const s = io(url, { auth: { token }, transports: ['websocket'], reconnection: false });
      s.on('alert.fired', (e: { data: { labels: Record<string, string> } }) => {
        const sent = Number(e.data.labels.sentAt);
        if (!sent) return;
        const ms = performance.timeOrigin + performance.now() - sent;
        hist[Math.min(BUCKETS, Math.max(0, Math.floor(ms / BUCKET_MS)))]!++;
        received++;
      });
      sockets.push(s);
      batch.push(new Promise<void>((resolve, reject) => {
        s.once('ready', () => resolve());
        s.once('connect_error', reject);
      }));
    }
    await Promise.all(batch);
  }
  process.send!({ type: 'connected', count: sockets.length });
  process.on('message', (m: { type: string }) => {
    if (m.type === 'report') process.send!({ type: 'report', received, hist: Array.from(hist) });
    if (m.type === 'close') {
      for (const s of sockets) s.disconnect();
      setTimeout(() => process.exit(0), 200);
    }
  });
}

/* ------------------------------------------------------------------ main */


function quantile(hist: number[], q: number): number {
  const total = hist.reduce((s, n) => s + n, 0);
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i]!;
    if (seen >= total * q) return (i + 1) * BUCKET_MS;
  }
  return Infinity;
}



function amPayload(n: number, prefix: string, severity = 'warning') {
  return {
    version: '4',
    groupKey: `{}:{alertname="${prefix}"}`,
    status: 'firing',
    receiver: 'opsdesk',
    groupLabels: { alertname: prefix },
    commonLabels: { alertname: prefix },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: Array.from({ length: n }, (_, i) => ({
      status: 'firing',
      labels: { alertname: prefix, instance: `host-${i}:9100`, severity, team: i % 10 === 0 ? 'payments' : 'platform' },
      annotations: { summary: `${prefix} on host-${i}`, description: i % 7 === 0 ? 'disk nearly full' : 'latency high' },
      startsAt: new Date().toISOString(),
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: `${prefix}-${i}`,
    })),
  };
}

async function main(): Promise<void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const { base, server, token: admin, dataDir } = await startBenchServer(root, 'alerts', { WEBHOOK_MAX_BYTES: '4194304' });
  const rows: Record<string, string | number>[] = [];
  try {
    const ingest = (await api<{ token: string }>(base, 'POST', '/api/v1/api-tokens', admin, { name: 'bench', scopes: ['alerts:ingest'] })).token;

    /* 1. fan-out latency */
    const workers: ChildProcess[] = [];
    const self = fileURLToPath(import.meta.url);
    const connectStart = performance.now();
    await Promise.all(
      Array.from({ length: WORKERS }, (_, w) => {
        const child = fork(self, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ALERTS_BENCH_WORKER: '1', URL: base, TOKEN: admin, COUNT: String(Math.ceil(CLIENTS / WORKERS)) } });
        workers.push(child);
        return new Promise<void>((resolve, reject) => {
          child.once('message', () => resolve());
          child.once('exit', (c) => reject(new Error(`worker ${w} exited ${c}`)));
        });
      }),
    );
    console.log(`${CLIENTS} socket.io clients connected in ${((performance.now() - connectStart) / 1000).toFixed(1)} s`);
    const watch = watchProcess(server.pid!);
    const ingestLatencies: number[] = [];
    let sent = 0;
    let failed = 0;
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const total = RATE * SECONDS;
      const inflight = new Set<Promise<void>>();
      const timer = setInterval(() => {
        // Catch up to the schedule so the rate holds even when a timer fires late.
        const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * RATE)) - sent;
        for (let k = 0; k < due; k++) {
          const i = sent++;
          const t = performance.now();
          const p = fetch(`${base}/api/v1/integrations/generic`, {
            method: 'POST',
            headers: { authorization: `Bearer ${ingest}`, 'content-type': 'application/json' },
            body: JSON.stringify({ name: `bench-fire-${i}`, severity: 'high', labels: { sentAt: String(performance.timeOrigin + performance.now()), seq: String(i) } }),
          })
            .then(async (r) => {
              await r.arrayBuffer();
              if (!r.ok) failed++;
              ingestLatencies.push(performance.now() - t);
            })
            .catch(() => void failed++)
            .finally(() => inflight.delete(p));
          inflight.add(p);
        }
        if (sent >= total) {
          clearInterval(timer);
          void Promise.all(inflight).then(() => setTimeout(resolve, 1000));
        }
      }, 5);
    });
    const usage = watch();
    const reports = await Promise.all(
      workers.map(
        (w) =>
          new Promise<{ received: number; hist: number[] }>((resolve) => {
            w.once('message', (m: { received: number; hist: number[] }) => resolve(m));
            w.send({ type: 'report' });
          }),
      ),
    );
    for (const w of workers) w.send({ type: 'close' });
    const hist = reports[0]!.hist.map((_, i) => reports.reduce((s, r) => s + r.hist[i]!, 0));
    const received = reports.reduce((s, r) => s + r.received, 0);
    ingestLatencies.sort((a, b) => a - b);
    rows.push({ case: `fan-out: ${RATE} alerts/s × ${SECONDS} s to ${CLIENTS} clients`, metric: 'fire→receipt p50 ms', value: quantile(hist, 0.5) });
    rows.push({ case: '', metric: 'fire→receipt p99 ms (target < 100)', value: quantile(hist, 0.99) });
    rows.push({ case: '', metric: 'events received / expected', value: `${received} / ${sent * CLIENTS}` });
    rows.push({ case: '', metric: 'webhook POST p50 / p99 ms', value: `${ingestLatencies[Math.floor(ingestLatencies.length * 0.5)]!.toFixed(1)} / ${ingestLatencies[Math.floor(ingestLatencies.length * 0.99)]!.toFixed(1)}` });
    rows.push({ case: '', metric: 'failed webhook POSTs', value: failed });
    rows.push({ case: '', metric: 'server CPU % of one core (avg)', value: usage.cpuPercent.toFixed(0) });
    rows.push({ case: '', metric: 'server RSS MiB (end / peak)', value: `${usage.rssMiB.toFixed(0)} / ${usage.peakRssMiB.toFixed(0)}` });
    await new Promise((r) => setTimeout(r, 500));

    if (process.env.BENCH_ONLY_FANOUT) return void console.table(rows);
    /* 2. 10,000 active alerts: listing and filtering */
    const active = async () => (await api<{ items: unknown[] }>(base, 'GET', '/api/v1/alerts?status=active&limit=500', admin)).items.length;
    const have = sent;
    for (let i = 0; have + i * 1000 < 10_000; i++) {
      await api(base, 'POST', '/api/v1/integrations/alertmanager', ingest, amPayload(Math.min(1000, 10_000 - have - i * 1000), `bench-seed-${i}`, i % 4 === 0 ? 'critical' : 'warning'));
    }
    console.log(`active alerts: ${(await active()) >= 500 ? '≥500 on first page' : 'few'}; seeding done`);
    const queries: [string, string][] = [
      ['first page of active alerts (100)', '/api/v1/alerts?status=active&limit=100'],
      ['filter severity=critical', '/api/v1/alerts?status=active&severity=critical&limit=100'],
      ['filter label team=payments', '/api/v1/alerts?status=active&label=team%3Dpayments&limit=100'],
      ['text search "disk"', '/api/v1/alerts?status=active&q=disk&limit=100'],
    ];
    for (const [name, url] of queries) {
      const r = await autocannon({ url: `${base}${url}`, headers: { authorization: `Bearer ${admin}` }, connections: 4, duration: 5 });
      rows.push({ case: `10,000 active alerts: ${name}`, metric: 'p50 / p99 ms (target p99 < 50)', value: `${r.latency.p50} / ${r.latency.p99}  (${r.requests.average.toFixed(0)} req/s${r.non2xx ? `, ${r.non2xx} non-2xx` : ''})` });
    }

    /* 3. Alertmanager ingest throughput: every request carries 50 new alerts */
    let batch = 0;
    const PER = 50;
    const r = await autocannon({
      url: `${base}/api/v1/integrations/alertmanager`,
      method: 'POST',
      connections: 8,
      duration: 10,
      headers: { authorization: `Bearer ${ingest}`, 'content-type': 'application/json' },
      requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify(amPayload(PER, `bench-am-${batch++}`)) }) }],
    });
    rows.push({ case: `Alertmanager webhook ingest (${PER} new alerts/request, 8 conns)`, metric: 'alerts/s (target ≥ 2,000)', value: (r.requests.average * PER).toFixed(0) });
    rows.push({ case: '', metric: 'request p50 / p99 ms', value: `${r.latency.p50} / ${r.latency.p99}${r.non2xx ? ` (${r.non2xx} non-2xx)` : ''}` });
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`\nalerts benchmark (SQLite, ${os.cpus().length} CPUs, load avg ${os.loadavg()[0]!.toFixed(1)})`);
  console.table(rows);
}
