import { io, type Socket } from 'socket.io-client';

/**
 * The fan-out benchmark's child processes (forked by bench/lib/fanout.ts), so that neither the
 * socket clients nor the load generator share a process, or an event loop, with each other:
 * - ROLE=clients: COUNT socket.io clients; each records when every `alert.changes` (alerts changed up
 *   to feed sequence `seq`) arrived; `report { fired: [seq, sentAt][] }` (the fired alerts' feed
 *   sequences, ascending) answers with the fire → receipt histogram: an alert is received by a client
 *   at the first announcement that covers its sequence (then the client syncs it from the feed);
 *   the records reset for the next rate;
 * - ROLE=generator: on `fire { rate, seconds }`, POSTs alerts to the generic webhook on schedule and
 *   answers with how many were sent, failed, and the POST latencies.
 */
export const BUCKET_MS = 0.5;
export const BUCKETS = 20_000; // up to 10 s

const url = process.env.URL!;
const token = process.env.TOKEN!;

if (process.env.ROLE === 'clients') await clients(Number(process.env.COUNT));
else if (process.env.ROLE === 'generator') generator();

async function clients(count: number): Promise<void> {
  const sockets: Socket[] = [];
  // Per socket: the announcements as [seq, receivedAt] pairs, flat.
  let heard: number[][] = [];
  for (let i = 0; i < count; i += 50) {
    const batch: Promise<void>[] = [];
    for (let j = i; j < Math.min(count, i + 50); j++) {
      const s = io(url, { auth: { token }, transports: ['websocket'], reconnection: false });
      const k = sockets.length;
      heard[k] = [];
      s.on('alert.changes', (e: { seq: number }) => heard[k]!.push(e.seq, performance.timeOrigin + performance.now()));
      sockets.push(s);
      batch.push(
        new Promise<void>((resolve, reject) => {
          s.once('ready', () => resolve());
          s.once('connect_error', reject);
        }),
      );
    }
    await Promise.all(batch);
  }
  process.send!({ type: 'ready', count: sockets.length });
  let cpu = process.cpuUsage();
  let since = performance.now();
  process.on('message', (m: { type: string; fired?: [number, number][] }) => {
    if (m.type === 'report') {
      const used = process.cpuUsage(cpu);
      const cpuPercent = ((used.user + used.system) / 1000 / (performance.now() - since)) * 100;
      const hist = new Uint32Array(BUCKETS + 1);
      let received = 0;
      for (const events of heard) {
        let e = 0;
        for (const [seq, sentAt] of m.fired!) {
          while (e < events.length && events[e]! < seq) e += 2;
          if (e >= events.length) break;
          hist[Math.min(BUCKETS, Math.max(0, Math.floor((events[e + 1]! - sentAt) / BUCKET_MS)))]!++;
          received++;
        }
      }
      heard = heard.map(() => []);
      process.send!({ type: 'report', received, hist: Array.from(hist), cpuPercent });
      cpu = process.cpuUsage();
      since = performance.now();
    }
    if (m.type === 'close') {
      for (const s of sockets) s.disconnect();
      setTimeout(() => process.exit(0), 200);
    }
  });
}

function generator(): void {
  let seq = 0;
  process.send!({ type: 'ready' });
  process.on('message', (m: { type: string; rate?: number; seconds?: number }) => {
    if (m.type === 'close') process.exit(0);
    if (m.type !== 'fire') return;
    const rate = m.rate!;
    const total = rate * m.seconds!;
    const latencies: number[] = [];
    let sent = 0;
    let failed = 0;
    const failures = new Map<string, number>();
    const inflight = new Set<Promise<void>>();
    const started = performance.now();
    const timer = setInterval(() => {
      // Catch up to the schedule so the rate holds even when a timer fires late.
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate)) - sent;
      for (let k = 0; k < due; k++) {
        const i = seq++;
        sent++;
        const t = performance.now();
        const p = fetch(`${url}/api/v1/integrations/generic`, {
          method: 'POST',
          headers: { authorization: `Bearer ${process.env.INGEST}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: `bench-fire-${i}`, severity: 'high', labels: { sentAt: String(performance.timeOrigin + performance.now()), seq: String(i) } }),
        })
          .then(async (r) => {
            await r.arrayBuffer();
            if (!r.ok) {
              failed++;
              failures.set(String(r.status), (failures.get(String(r.status)) ?? 0) + 1);
            }
            latencies.push(performance.now() - t);
          })
          .catch((err: Error) => {
            failed++;
            failures.set(err.message, (failures.get(err.message) ?? 0) + 1);
          })
          .finally(() => inflight.delete(p));
        inflight.add(p);
      }
      if (sent >= total) {
        clearInterval(timer);
        void Promise.all(inflight).then(() => process.send!({ type: 'fired', sent, failed, failures: Object.fromEntries(failures), latencies }));
      }
    }, 5);
  });
}
