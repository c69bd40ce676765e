import { statSync } from 'node:fs';
import { readFile, statfs } from 'node:fs/promises';
import os from 'node:os';
import { sql } from 'kysely';
import type { MetricValueWithName } from 'prom-client';
import si from 'systeminformation';
import type { DatabaseHandle } from '../platform/db/connect';
import type { ServerMetrics } from '../platform/prometheus';
import type { Redis } from 'ioredis';
import type { Sample } from './metric-store';

/** Something that reports samples on each collection: host, server, database, job backlog, … */
export type Collector = () => Promise<Sample[]>;

/**
 * Named collectors run together each interval; one failing collector never stops the others: its
 * error is kept (by name, for the health view) and reported to `onError` (the lifecycle logs and
 * counts it as loop `collector:<name>`). Other domains register theirs (operations registers
 * `job_backlog`).
 */
export class CollectorRegistry {
  private readonly collectors = new Map<string, Collector>();
  readonly errors = new Map<string, string>();

  constructor(private readonly onError: (collector: string, err: unknown) => void) {}

  register(name: string, collector: Collector): void {
    this.collectors.set(name, collector);
  }

  async collect(): Promise<Sample[]> {
    const results = await Promise.all(
      [...this.collectors].map(async ([name, c]) => {
        try {
          const samples = await c();
          this.errors.delete(name);
          return samples;
        } catch (err) {
          this.errors.set(name, (err as Error).message);
          this.onError(name, err);
          return [];
        }
      }),
    );
    return results.flat();
  }
}

interface DiskUsage {
  mount: string;
  size: number;
  used: number;
  available: number;
}

const PSEUDO_FS = /^(proc|sysfs|tmpfs|devtmpfs|devpts|cgroup2?|securityfs|pstore|bpf|tracefs|debugfs|mqueue|hugetlbfs|fusectl|configfs|autofs|binfmt_misc|nsfs|ramfs|rpc_pipefs|squashfs|efivarfs|fuse\..*)$/;

/**
 * Disk usage per mount. On Linux it reads /proc/mounts and statfs asynchronously: systeminformation's
 * fsSize runs `execSync`, which stalls every request for ~20 ms at each collection.
 */
async function diskUsage(): Promise<DiskUsage[]> {
  if (process.platform !== 'linux') {
    return (await si.fsSize()).map((d) => ({ mount: d.mount, size: d.size, used: d.used, available: d.available }));
  }
  const mounts = (await readFile('/proc/mounts', 'utf8'))
    .split('\n')
    .map((line) => line.split(' '))
    .filter((f) => f.length >= 3 && !PSEUDO_FS.test(f[2]!))
    .map((f) => f[1]!.replace(/\\040/g, ' '));
  const usage = await Promise.all(
    [...new Set(mounts)].map(async (mount) => {
      try {
        const s = await statfs(mount);
        const size = s.blocks * s.bsize;
        return { mount, size, used: (s.blocks - s.bfree) * s.bsize, available: s.bavail * s.bsize };
      } catch {
        return null; // a mount we may not read (permissions, a stale network mount)
      }
    }),
  );
  return usage.filter((u): u is DiskUsage => u !== null);
}

interface CpuTimes {
  idle: number;
  total: number;
}

/** Aggregate CPU times from /proc/stat (user nice system idle iowait irq softirq steal). */
async function linuxCpuTimes(): Promise<CpuTimes> {
  const first = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0]!;
  const f = first.trim().split(/\s+/).slice(1, 9).map(Number);
  return { idle: f[3]! + (f[4] ?? 0), total: f.reduce((a, b) => a + b, 0) };
}

/** Bytes received and sent by every interface but loopback, from /proc/net/dev. */
async function linuxNetBytes(): Promise<{ rx: number; tx: number }> {
  let rx = 0;
  let tx = 0;
  for (const line of (await readFile('/proc/net/dev', 'utf8')).split('\n').slice(2)) {
    const [name, rest] = line.split(':');
    if (!rest || name!.trim() === 'lo') continue;
    const f = rest.trim().split(/\s+/).map(Number);
    rx += f[0] ?? 0;
    tx += f[8] ?? 0;
  }
  return { rx, tx };
}

/**
 * CPU % since the previous call and total network bytes. On Linux read from /proc asynchronously:
 * systeminformation's currentLoad and networkStats run `execSync` (and rescan every interface)
 * on each call, stalling every request for tens of milliseconds.
 */
function cpuAndNetwork(): () => Promise<{ cpuPercent: number; rx: number; tx: number }> {
  let previous: CpuTimes | null = null;
  return async () => {
    if (process.platform !== 'linux') {
      const [load, net] = await Promise.all([si.currentLoad(), si.networkStats('*')]);
      return { cpuPercent: load.currentLoad, rx: net.reduce((a, n) => a + (n.rx_bytes || 0), 0), tx: net.reduce((a, n) => a + (n.tx_bytes || 0), 0) };
    }
    if (!previous) {
      previous = await linuxCpuTimes();
      await new Promise((r) => setTimeout(r, 250));
    }
    const [now, net] = await Promise.all([linuxCpuTimes(), linuxNetBytes()]);
    const total = now.total - previous.total;
    const cpuPercent = total > 0 ? (1 - (now.idle - previous.idle) / total) * 100 : 0;
    previous = now;
    return { cpuPercent, ...net };
  };
}

/** Host CPU %, memory %, disk % per mount, network bytes/s and load. */
export function hostCollector(): Collector {
  let lastNet: { at: number; rx: number; tx: number } | null = null;
  const sampleCpuAndNetwork = cpuAndNetwork();
  return async () => {
    const [cpuNet, mem, disks] = await Promise.all([sampleCpuAndNetwork(), si.mem(), diskUsage()]);
    const samples: Sample[] = [
      { name: 'host_cpu_percent', value: cpuNet.cpuPercent },
      // "available" excludes reclaimable cache, as `free` reports it.
      { name: 'host_memory_percent', value: ((mem.total - mem.available) / mem.total) * 100 },
      { name: 'host_load1', value: os.loadavg()[0]! },
    ];
    const seen = new Set<string>();
    for (const d of disks) {
      if (!d.size || seen.has(d.mount) || /^(\/proc|\/sys|\/dev|\/run)/.test(d.mount)) continue;
      seen.add(d.mount);
      // As `df` reports it: space reserved for root counts as neither used nor available.
      const usedPct = (d.used / (d.used + d.available)) * 100;
      samples.push({ name: 'host_disk_used_percent', labels: { mount: d.mount }, value: usedPct });
      samples.push({ name: 'host_disk_free_percent', labels: { mount: d.mount }, value: 100 - usedPct });
    }
    const { rx, tx } = cpuNet;
    const now = Date.now();
    if (lastNet && now > lastNet.at) {
      const secs = (now - lastNet.at) / 1000;
      samples.push({ name: 'host_network_rx_bytes_per_second', value: Math.max(0, (rx - lastNet.rx) / secs) });
      samples.push({ name: 'host_network_tx_bytes_per_second', value: Math.max(0, (tx - lastNet.tx) / secs) });
    }
    lastNet = { at: now, rx, tx };
    return samples;
  };
}

interface HistogramSnapshot {
  buckets: Map<number, number>;
  count: number;
}

function histogramSnapshot(values: MetricValueWithName<string>[]): HistogramSnapshot {
  const buckets = new Map<number, number>();
  let count = 0;
  for (const v of values) {
    if (v.metricName?.endsWith('_bucket')) {
      const le = v.labels.le === '+Inf' ? Infinity : Number(v.labels.le);
      buckets.set(le, (buckets.get(le) ?? 0) + v.value);
    } else if (v.metricName?.endsWith('_count')) count += v.value;
  }
  return { buckets, count };
}

/** p-quantile of the observations between two cumulative histogram snapshots (upper bucket bound). */
export function quantileBetween(prev: HistogramSnapshot | null, cur: HistogramSnapshot, q: number): number | null {
  const total = cur.count - (prev?.count ?? 0);
  if (total <= 0) return null;
  const rank = total * q;
  const les = [...cur.buckets.keys()].sort((a, b) => a - b);
  let lastFinite = 0;
  for (const le of les) {
    const inBucket = (cur.buckets.get(le) ?? 0) - (prev?.buckets.get(le) ?? 0);
    if (Number.isFinite(le)) lastFinite = le;
    if (inBucket >= rank) return Number.isFinite(le) ? le : lastFinite;
  }
  return lastFinite;
}

/** The backend's own request rate, p95, 5xx rate and active requests; database query p95, connections, size. */
export function serverCollector(metrics: ServerMetrics, database: DatabaseHandle): Collector {
  let prev: { at: number; http: HistogramSnapshot; errors: number; db: HistogramSnapshot } | null = null;
  return async () => {
    const now = Date.now();
    const http = histogramSnapshot((await metrics.httpDuration.get()).values);
    const errors = (await metrics.httpErrors.get()).values.reduce((s, v) => s + v.value, 0);
    const db = histogramSnapshot((await metrics.dbQueryDuration.get()).values);
    const active = (await metrics.activeRequests.get()).values.reduce((s, v) => s + v.value, 0);
    const samples: Sample[] = [{ name: 'http_active_requests', value: active }];
    if (prev) {
      const secs = Math.max(0.001, (now - prev.at) / 1000);
      const requests = http.count - prev.http.count;
      samples.push({ name: 'http_requests_per_second', value: requests / secs });
      samples.push({ name: 'http_error_rate_percent', value: requests > 0 ? ((errors - prev.errors) / requests) * 100 : 0 });
      const p95 = quantileBetween(prev.http, http, 0.95);
      if (p95 !== null) samples.push({ name: 'http_response_p95_seconds', value: p95 });
      const dbP95 = quantileBetween(prev.db, db, 0.95);
      if (dbP95 !== null) samples.push({ name: 'db_query_p95_seconds', value: dbP95 });
    }
    prev = { at: now, http, errors, db };
    samples.push({ name: 'db_connections', value: database.pool ? database.pool.totalCount : 1 });
    samples.push({ name: 'db_size_bytes', value: await databaseSize(database) });
    return samples;
  };
}

async function databaseSize(database: DatabaseHandle): Promise<number> {
  if (database.dialect === 'postgres') {
    const r = await sql<{ size: string }>`select pg_database_size(current_database()) as size`.execute(database.db);
    return Number(r.rows[0]?.size ?? 0);
  }
  if (!database.sqliteFile || database.sqliteFile === ':memory:') return 0;
  let total = 0;
  // No WAL file yet is not an error: it counts as 0 bytes.
  for (const suffix of ['', '-wal']) total += statSync(database.sqliteFile + suffix, { throwIfNoEntry: false })?.size ?? 0;
  return total;
}

/** Redis used memory and keyspace hit rate (from INFO), when REDIS_URL is set. */
export function redisCollector(redis: Redis): Collector {
  return async () => {
    const info = await redis.info();
    const field = (k: string) => Number(new RegExp(`^${k}:(\\S+)`, 'm').exec(info)?.[1] ?? NaN);
    const hits = field('keyspace_hits');
    const misses = field('keyspace_misses');
    const samples: Sample[] = [{ name: 'redis_memory_bytes', value: field('used_memory') }];
    const maxmem = field('maxmemory');
    if (maxmem > 0) samples.push({ name: 'redis_memory_percent', value: (field('used_memory') / maxmem) * 100 });
    if (hits + misses > 0) samples.push({ name: 'redis_hit_rate_percent', value: (hits / (hits + misses)) * 100 });
    return samples;
  };
}

/** Queued jobs waiting for a worker, and how long the oldest has waited since it was queued (its last update). */
export function jobBacklogCollector(database: DatabaseHandle, now: () => number): Collector {
  return async () => {
    const r = await database.db
      .selectFrom('jobs')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('updated_at').as('oldest')])
      .where('status', '=', 'queued')
      .executeTakeFirst();
    const oldest = r?.oldest === null || r?.oldest === undefined ? null : Number(r.oldest);
    return [
      { name: 'job_backlog', value: Number(r?.n ?? 0) },
      { name: 'job_backlog_oldest_age_seconds', value: oldest === null ? 0 : Math.max(0, (now() - oldest) / 1000) },
    ];
  };
}
