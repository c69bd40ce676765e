import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { BUCKET_MS } from './fanout-worker';
import { watchProcess } from './measure';

const WORKER = path.join(import.meta.dirname, 'fanout-worker.ts');

export function quantile(hist: number[], q: number): number {
  const total = hist.reduce((s, n) => s + n, 0);
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i]!;
    if (seen >= total * q) return (i + 1) * BUCKET_MS;
  }
  return Infinity;
}

function spawnWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env } });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (c) => reject(new Error(`fan-out ${env.ROLE} process exited ${c}`)));
  });
}

function ask<T>(child: ChildProcess, message: object, answer: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { type: string }) => {
      if (m.type !== answer) return;
      child.off('message', on);
      resolve(m as T);
    };
    child.on('message', on);
    child.send(message);
  });
}

export interface FanoutRun {
  rate: number;
  p50: number;
  p99: number;
  receivedPercent: number;
  failed: number;
  failures: Record<string, number>;
  postP99: number;
  serverCpuPercent: number;
  serverPeakRssMiB: number;
  /** CPU % of one core of each client process (the receiving end: on 2 shared cores it can be the bound). */
  clientCpuPercent: number[];
}

/**
 * Fan-out: `clients` socket.io clients spread over `processes` processes, a load generator in a
 * process of its own, and for each rate `seconds` of alerts fired through the generic webhook;
 * fire → receipt latency over every client (receipt: the first `alert.changes` covering the
 * alert's feed sequence), received share, failed POSTs and the server's CPU.
 */
export async function fanout(o: {
  base: string;
  admin: string;
  ingest: string;
  serverPid: number;
  clients: number;
  processes: number;
  rates: number[];
  seconds: number;
  /** The alerts fired since the last call, as [feed sequence, sentAt] ascending by sequence. */
  fired: () => Promise<[number, number][]>;
}): Promise<FanoutRun[]> {
  const connectStart = performance.now();
  const clientProcs = await Promise.all(
    Array.from({ length: o.processes }, () => spawnWorker({ ROLE: 'clients', URL: o.base, TOKEN: o.admin, COUNT: String(Math.ceil(o.clients / o.processes)) })),
  );
  const generator = await spawnWorker({ ROLE: 'generator', URL: o.base, TOKEN: o.admin, INGEST: o.ingest });
  const connected = Math.ceil(o.clients / o.processes) * o.processes;
  console.log(`${connected} socket.io clients in ${o.processes} processes connected in ${((performance.now() - connectStart) / 1000).toFixed(1)} s`);
  const runs: FanoutRun[] = [];
  try {
    for (const rate of o.rates) {
      const watch = watchProcess(o.serverPid);
      const fired = await ask<{ sent: number; failed: number; failures: Record<string, number>; latencies: number[] }>(generator, { type: 'fire', rate, seconds: o.seconds }, 'fired');
      // Let the last events arrive before asking what was received.
      await new Promise((r) => setTimeout(r, 1500));
      const usage = watch();
      const sequenced = await o.fired();
      if (sequenced.length !== fired.sent - fired.failed) console.log(`  (${sequenced.length} alerts in the feed for ${fired.sent - fired.failed} accepted POSTs)`);
      const reports = await Promise.all(clientProcs.map((c) => ask<{ received: number; hist: number[]; cpuPercent: number }>(c, { type: 'report', fired: sequenced }, 'report')));
      const hist = reports[0]!.hist.map((_, i) => reports.reduce((s, r) => s + r.hist[i]!, 0));
      const received = reports.reduce((s, r) => s + r.received, 0);
      const posts = fired.latencies.sort((a, b) => a - b);
      const run: FanoutRun = {
        rate,
        p50: quantile(hist, 0.5),
        p99: quantile(hist, 0.99),
        receivedPercent: (received / (fired.sent * connected || 1)) * 100,
        failed: fired.failed,
        failures: fired.failures,
        postP99: posts[Math.floor(posts.length * 0.99)] ?? NaN,
        serverCpuPercent: usage.cpuPercent,
        serverPeakRssMiB: usage.peakRssMiB,
        clientCpuPercent: reports.map((r) => r.cpuPercent),
      };
      runs.push(run);
      console.log(`  ${rate} alerts/s: p50 ${run.p50} ms, p99 ${run.p99} ms, received ${run.receivedPercent.toFixed(1)} %, failed POSTs ${run.failed}, server CPU ${run.serverCpuPercent.toFixed(0)} %, client processes ${run.clientCpuPercent.map((c) => c.toFixed(0)).join(' / ')} %`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    for (const c of [...clientProcs, generator]) c.send({ type: 'close' });
  }
  return runs;
}
