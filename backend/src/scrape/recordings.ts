import type { LabelSet } from '../alerts/labels';
import type { Sample } from '../monitoring/metric-store';
import type { ParsedSample } from './exposition';

/**
 * Recording rules for the exporters a team already runs, computed per target at each scrape (as
 * Prometheus recording rules would): ratios 0–1 and per-second rates in base units, which the
 * default rules and the target dashboards read. Counters need two scrapes, so the previous
 * scrape's totals are kept per target (`RateMemory`); a counter that went down (a restart) yields
 * no rate for that scrape.
 */
export type RateMemory = Map<string, { value: number; at: number }>;

/** Mount types that are not disks (the node exporter reports them all). */
const NOT_DISKS = new Set(['tmpfs', 'devtmpfs', 'ramfs', 'squashfs', 'nsfs', 'fuse.lxcfs', 'proc', 'sysfs', 'autofs']);

class Recorder {
  readonly out: Sample[] = [];
  constructor(
    private readonly samples: ParsedSample[],
    private readonly memory: RateMemory,
    private readonly at: number,
  ) {}

  sum(name: string, where: (l: LabelSet) => boolean = () => true): number | null {
    let total: number | null = null;
    for (const s of this.samples) if (s.name === name && where(s.labels)) total = (total ?? 0) + s.value;
    return total;
  }

  /** Per-second increase of a summed counter since the previous scrape, or null. */
  rate(key: string, total: number | null): number | null {
    if (total === null) return null;
    const prev = this.memory.get(key);
    this.memory.set(key, { value: total, at: this.at });
    if (!prev || this.at <= prev.at || total < prev.value) return null;
    return (total - prev.value) / ((this.at - prev.at) / 1000);
  }

  emit(name: string, value: number | null, labels: LabelSet = {}): void {
    if (value !== null && Number.isFinite(value)) this.out.push({ name, labels, value });
  }

  ratio(name: string, part: number | null, whole: number | null, labels: LabelSet = {}): void {
    if (part !== null && whole !== null && whole > 0) this.emit(name, part / whole, labels);
  }
}

function node(r: Recorder, samples: ParsedSample[]): void {
  const idle = r.rate('cpu_idle', r.sum('node_cpu_seconds_total', (l) => l.mode === 'idle' || l.mode === 'iowait'));
  const all = r.rate('cpu_all', r.sum('node_cpu_seconds_total', (l) => l.mode !== 'guest' && l.mode !== 'guest_nice'));
  if (idle !== null && all !== null && all > 0) r.emit('node_cpu_usage_ratio', Math.min(1, Math.max(0, 1 - idle / all)));
  const available = r.sum('node_memory_MemAvailable_bytes');
  const total = r.sum('node_memory_MemTotal_bytes');
  if (available !== null && total) r.emit('node_memory_used_ratio', 1 - available / total);
  const cpus = new Set(samples.filter((s) => s.name === 'node_cpu_seconds_total').map((s) => s.labels.cpu)).size;
  r.ratio('node_load1_per_cpu', r.sum('node_load1'), cpus || null);
  for (const size of samples) {
    if (size.name !== 'node_filesystem_size_bytes' || NOT_DISKS.has(size.labels.fstype ?? '')) continue;
    const same = (l: LabelSet) => l.mountpoint === size.labels.mountpoint && l.device === size.labels.device;
    const avail = r.sum('node_filesystem_avail_bytes', same);
    if (avail !== null && size.value > 0) r.emit('node_filesystem_used_ratio', 1 - avail / size.value, { mountpoint: size.labels.mountpoint ?? '', device: size.labels.device ?? '' });
  }
  const physical = (l: LabelSet) => l.device !== 'lo';
  r.emit('node_network_receive_bytes_per_second', r.rate('net_rx', r.sum('node_network_receive_bytes_total', physical)));
  r.emit('node_network_transmit_bytes_per_second', r.rate('net_tx', r.sum('node_network_transmit_bytes_total', physical)));
}

function postgres(r: Recorder): void {
  r.ratio('pg_connections_used_ratio', r.sum('pg_stat_database_numbackends'), r.sum('pg_settings_max_connections'));
  const hit = r.rate('pg_hit', r.sum('pg_stat_database_blks_hit'));
  const read = r.rate('pg_read', r.sum('pg_stat_database_blks_read'));
  if (hit !== null && read !== null) r.ratio('pg_cache_hit_ratio', hit, hit + read);
}

function redis(r: Recorder): void {
  const max = r.sum('redis_memory_max_bytes');
  // maxmemory 0 means "no limit": no ratio then (the dashboard shows the bytes).
  if (max) r.ratio('redis_memory_used_ratio', r.sum('redis_memory_used_bytes'), max);
  r.ratio('redis_clients_used_ratio', r.sum('redis_connected_clients'), r.sum('redis_config_maxclients'));
  const hits = r.rate('redis_hits', r.sum('redis_keyspace_hits_total'));
  const misses = r.rate('redis_misses', r.sum('redis_keyspace_misses_total'));
  const evicted = r.rate('redis_evicted', r.sum('redis_evicted_keys_total'));
  if (hits !== null && misses !== null) {
    r.ratio('redis_keyspace_hit_ratio', hits, hits + misses);
    r.ratio('redis_eviction_ratio', evicted, hits + misses);
  }
  r.emit('redis_evictions_per_second', evicted);
}

/** The recorded series of one scrape (without the target's labels, which the scraper adds). */
export function recordings(samples: ParsedSample[], memory: RateMemory, at: number): Sample[] {
  const r = new Recorder(samples, memory, at);
  const names = new Set(samples.map((s) => s.name));
  if (names.has('node_cpu_seconds_total') || names.has('node_memory_MemTotal_bytes')) node(r, samples);
  if (names.has('pg_up')) postgres(r);
  if (names.has('redis_up')) redis(r);
  return r.out;
}

/** Every metric name a recording can produce: stored as points (dashboards) like `up`. */
export const RECORDED_METRICS = [
  'node_cpu_usage_ratio',
  'node_memory_used_ratio',
  'node_load1_per_cpu',
  'node_filesystem_used_ratio',
  'node_network_receive_bytes_per_second',
  'node_network_transmit_bytes_per_second',
  'pg_connections_used_ratio',
  'pg_cache_hit_ratio',
  'redis_memory_used_ratio',
  'redis_clients_used_ratio',
  'redis_keyspace_hit_ratio',
  'redis_eviction_ratio',
  'redis_evictions_per_second',
] as const;
