import type { Rule } from '../../../../shared/api/alerts';

/** A dashboard panel: a metric of the target, its unit, and how to show values (ratios as %). */
export interface TargetPanel {
  metric: string;
  title: string;
  unit: string;
  /** Multiplies values for display (1 = as is; 100 for a ratio shown in %). */
  scale: number;
}

const pct = (metric: string, title: string): TargetPanel => ({ metric, title, unit: '%', scale: 100 });
const raw = (metric: string, title: string, unit: string): TargetPanel => ({ metric, title, unit, scale: 1 });

/** Panels by the kind of exporter, recognised by the recorded series each one yields. */
export const PANELS_BY_KIND: Record<'host' | 'database' | 'redis' | 'any', TargetPanel[]> = {
  host: [pct('node_cpu_usage_ratio', 'CPU'), pct('node_memory_used_ratio', 'Memory'), pct('node_filesystem_used_ratio', 'Disk'), raw('node_load1_per_cpu', 'Load per CPU', ''), raw('node_network_receive_bytes_per_second', 'Network in', 'B/s')],
  database: [raw('pg_up', 'PostgreSQL up (1 = up)', ''), pct('pg_connections_used_ratio', 'Connections vs max'), pct('pg_cache_hit_ratio', 'Cache hit ratio'), raw('pg_replication_lag', 'Replication lag', 's')],
  redis: [raw('redis_up', 'Redis up (1 = up)', ''), pct('redis_memory_used_ratio', 'Memory vs maxmemory'), pct('redis_keyspace_hit_ratio', 'Hit ratio'), raw('redis_evictions_per_second', 'Evictions', '/s'), pct('redis_clients_used_ratio', 'Clients vs maxclients')],
  any: [raw('up', 'Target up (1 = up)', ''), raw('scrape_duration_seconds', 'Scrape duration', 's')],
};

/** Host, database or Redis by the job name's usual words; every target gets `up` and scrape duration. */
export function panelsFor(job: string): TargetPanel[] {
  const j = job.toLowerCase();
  const kind = /node|host/.test(j) ? 'host' : /postgres|pg|database|db/.test(j) ? 'database' : /redis|cache/.test(j) ? 'redis' : null;
  return [...(kind ? PANELS_BY_KIND[kind] : []), ...PANELS_BY_KIND.any];
}

/**
 * The threshold lines of a panel, read from the enabled rules on its metric whose label matchers
 * the target's labels satisfy (the most specific rule wins), scaled like the panel.
 */
export function thresholdsFor(panel: TargetPanel, rules: Rule[], labels: Record<string, string>): { warn?: number; crit?: number; rule?: string } {
  const applying = rules
    .filter((r) => r.enabled && r.metric === panel.metric && Object.entries(r.labels).every(([k, v]) => labels[k] === v))
    .sort((a, b) => Object.keys(b.labels).length - Object.keys(a.labels).length);
  const r = applying[0];
  if (!r) return {};
  const scaled = (v: number | null) => (v === null ? undefined : v * panel.scale);
  return { warn: scaled(r.warning), crit: scaled(r.critical), rule: r.name };
}
