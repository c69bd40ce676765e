import { fork, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { api, freePort, load, startBenchServer, table, watchProcess } from './lib/measure';

/**
 * Issue 15's benchmark: 200 scrape targets × 500 series at a 15 s interval plus 200 HTTP probes at
 * 30 s, served by local HTTP servers emitting exposition text (a separate process). Reports the
 * server's scrape + evaluate CPU (% of one core, target ≤ 25 %) and memory, and the p99 latency of
 * the API's other requests while it runs (target < 50 ms). The peer, in the same run: Debian's
 * Prometheus scraping the same 200 targets at the same interval. BENCH_SECONDS (default 60) is
 * the length of each measured phase.
 */
const TARGETS = Number(process.env.BENCH_TARGETS ?? 200);
const SERIES = Number(process.env.BENCH_SERIES ?? 500);
const PROBES = Number(process.env.BENCH_PROBES ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);


/** The exposition servers: one per target, 500 series each, values moving between scrapes. */
function exposition(i: number, n: number): string {
  let out = '# HELP bench_requests_total Requests.\n# TYPE bench_requests_total counter\n';
  for (let s = 0; s < SERIES; s++) out += `bench_requests_total{route="/r${s % 50}",code="${200 + (s % 5)}",shard="${s}"} ${n * 10 + s}\n`;
  return out + `node_memory_MemTotal_bytes 8e9\nnode_memory_MemAvailable_bytes ${4e9 + (i % 7) * 1e8}\n`;
}

async function exporters(): Promise<void> {
  const ports: number[] = [];
  for (let i = 0; i < TARGETS; i++) {
    let n = 0;
    const server = http.createServer((req, res) => {
      if (req.url === '/health') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok healthy');
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(exposition(i, n++));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    ports.push((server.address() as net.AddressInfo).port);
  }
  process.send!({ ports });
  // The bench's own child: gone with its parent.
  process.on('disconnect', () => process.exit(0));
}



const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));


async function waitFor(url: string): Promise<void> {
  for (let i = 0; ; i++) {
    const ok = await fetch(url).then(
      (r) => r.arrayBuffer().then(() => true),
      () => false,
    );
    if (ok) return;
    if (i > 600) throw new Error(`${url} did not answer`);
    await sleep(0.1);
  }
}

async function main(): Promise<void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const rows: Record<string, string | number>[] = [];
  const worker = fork(fileURLToPath(import.meta.url), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, MONITORING_BENCH_EXPORTERS: '1' } });
  const ports = await new Promise<number[]>((resolve) => worker.once('message', (m: { ports: number[] }) => resolve(m.ports)));
  const { base, server, token, dataDir } = await startBenchServer(root, 'monitoring', { PROBE_CONCURRENCY: '32', SCRAPE_CONCURRENCY: '16' });
  try {
    await sleep(5);
    const idle = watchProcess(server.pid!);
    await sleep(15);
    const idleUsage = idle();
    // The same other requests before any target: the latency the scrapes are measured against.
    const otherRequests = () => load({ url: `${base}/api/v1/alerts?status=active`, headers: { authorization: `Bearer ${token}` }, connections: 4, overallRate: 50, duration: Math.min(20, SECONDS) });
    const baseline = await otherRequests();
    for (const [i, p] of ports.entries()) await api(base, 'POST', '/api/v1/scrape-targets', token, { job: `bench-${i % 10}`, url: `http://127.0.0.1:${p}/metrics`, intervalSeconds: 15, sampleLimit: 1000 });
    for (const [i, p] of ports.slice(0, PROBES).entries()) await api(base, 'POST', '/api/v1/probes', token, { name: `bench probe ${i}`, kind: 'http', target: `http://127.0.0.1:${p}/health`, intervalSeconds: 30, keyword: 'healthy' });
    // One full round of every target and probe before measuring.
    await sleep(32);
    const busy = watchProcess(server.pid!);
    await sleep(SECONDS);
    const usage = busy();
    const overview = await api<{ state: string }[]>(base, 'GET', '/api/v1/monitoring/overview', token);
    const up = overview.filter((e) => e.state === 'up' || e.state === 'warning').length;
    const loadRun = await otherRequests();
    rows.push(
      { system: 'OpsDesk (idle, no targets)', metric: 'CPU % of one core', value: idleUsage.cpuPercent },
      { system: '', metric: 'other requests (GET /alerts, 50/s): p50 / p99 ms', value: `${baseline.p50} / ${baseline.p99}` },
      { system: `OpsDesk (${TARGETS}×${SERIES} series @15 s + ${PROBES} probes @30 s)`, metric: 'scrape + probe + evaluate CPU % of one core', value: usage.cpuPercent },
      { system: '', metric: 'RSS MiB (end / peak)', value: `${usage.rssMiB.toFixed(0)} / ${usage.peakRssMiB.toFixed(0)}` },
      { system: '', metric: 'targets and probes up', value: `${up} of ${overview.length}` },
      { system: '', metric: 'other requests (GET /alerts, 50/s): p50 / p99 ms', value: `${loadRun.p50} / ${loadRun.p99}` },
      { system: '', metric: 'errors / non-2xx', value: `${loadRun.errors} / ${loadRun.non2xx}` },
    );
  } finally {
    server.kill('SIGTERM');
  }
  // The peer: Debian's Prometheus scraping the same targets at the same interval.
  if (spawnSync('which', ['prometheus']).status === 0) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'opsdesk-bench-prometheus-'));
    const targets = ports.map((p) => `'127.0.0.1:${p}'`).join(', ');
    writeFileSync(path.join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 15s\n  evaluation_interval: 15s\nscrape_configs:\n  - job_name: bench\n    static_configs:\n      - targets: [${targets}]\n`);
    const promPort = await freePort();
    const prometheus = spawn('prometheus', [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`], { stdio: 'ignore' });
    await waitFor(`http://127.0.0.1:${promPort}/-/ready`);
    await sleep(32);
    const peer = watchProcess(prometheus.pid!);
    await sleep(SECONDS);
    const p = peer();
    rows.push({ system: `Prometheus (${TARGETS}×${SERIES} series @15 s, no probes)`, metric: 'scrape + TSDB CPU % of one core', value: p.cpuPercent }, { system: '', metric: 'RSS MiB (end / peak)', value: `${p.rssMiB.toFixed(0)} / ${p.peakRssMiB.toFixed(0)}` });
    prometheus.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  } else rows.push({ system: 'Prometheus', metric: 'not installed (apt-get install prometheus)', value: '' });
  worker.kill('SIGTERM');
  table(rows);
  rmSync(dataDir, { recursive: true, force: true });
}

if (process.env.MONITORING_BENCH_EXPORTERS) await exporters();
else await main();
