import type { DefaultRule } from './default-rules';

type Level = number | null;

/** A rule on a scraped or recorded series; summaries name the target by its instance. */
function rule(id: string, name: string, metric: string, comparison: 'gt' | 'lt', warning: Level, critical: Level, opts: { hysteresis?: number; forSeconds?: number; unit?: string; percent?: boolean } = {}): DefaultRule {
  const { hysteresis = 0, forSeconds = 120, unit = '', percent = false } = opts;
  const value = percent ? '{value}' : `{value}${unit}`;
  return {
    id: `builtin-${id}`,
    name,
    metric,
    labels: {},
    comparison,
    warning,
    critical,
    warningSeverity: 'medium',
    criticalSeverity: 'critical',
    forSeconds,
    hysteresis,
    enabled: true,
    summary: `${name} on {labels.instance}: ${value} (threshold {threshold}${unit})`,
  };
}

/**
 * The manuals' thresholds for the exporters a team already runs, on the recorded series of
 * `scrape/recordings.ts` (ratios 0–1, base units). Sources: the issue (CPU 70/90 %, memory
 * 80/95 %, disk 85/95 %); the deployment guide's "Key Metrics to Monitor" (database connection
 * count < 80 of the default 100 → 0.8, replication lag < 10 ms, cache hit rate > 90 %, cache
 * memory alert > 85 %, eviction rate < 1 %); the troubleshooting guide's "kill long-running
 * queries" at 5 minutes. Criticals the manuals do not give are one step further (named below).
 */
export const EXPORTER_RULES: DefaultRule[] = [
  { ...rule('target-down', 'Scrape target down', 'up', 'lt', null, 1, { forSeconds: 60 }), criticalSeverity: 'high', summary: 'Scrape target {labels.job} at {labels.instance} is down' },
  // node exporter
  rule('node-cpu', 'Host CPU usage', 'node_cpu_usage_ratio', 'gt', 0.7, 0.9, { hysteresis: 0.05 }),
  rule('node-memory', 'Host memory usage', 'node_memory_used_ratio', 'gt', 0.8, 0.95, { hysteresis: 0.05 }),
  { ...rule('node-disk', 'Host disk usage', 'node_filesystem_used_ratio', 'gt', 0.85, 0.95, { hysteresis: 0.02, forSeconds: 60 }), summary: 'Host disk usage on {labels.instance} {labels.mountpoint}: {value} (threshold {threshold})' },
  // Load per CPU: 1 = every core busy (warning), 2 = twice the cores' work queued (critical).
  rule('node-load', 'Host load per CPU', 'node_load1_per_cpu', 'gt', 1, 2, { hysteresis: 0.1, forSeconds: 300 }),
  // postgres exporter
  { ...rule('pg-down', 'PostgreSQL down', 'pg_up', 'lt', null, 1, { forSeconds: 60 }), summary: 'PostgreSQL behind {labels.instance} does not answer the exporter' },
  rule('pg-connections', 'PostgreSQL connections', 'pg_connections_used_ratio', 'gt', 0.8, 0.95, { hysteresis: 0.02 }),
  // Replication lag: the guide's 10 ms target; critical at 10 s.
  rule('pg-replication-lag', 'PostgreSQL replication lag', 'pg_replication_lag', 'gt', 0.01, 10, { unit: ' s' }),
  rule('pg-cache-hit', 'PostgreSQL cache hit ratio', 'pg_cache_hit_ratio', 'lt', 0.9, null, { hysteresis: 0.01, forSeconds: 300 }),
  rule('pg-long-transaction', 'PostgreSQL long-running transaction', 'pg_stat_activity_max_tx_duration', 'gt', 300, 1800, { unit: ' s', forSeconds: 0 }),
  // Database size: 50 GiB warning / 100 GiB critical, a starting point to edit per team.
  rule('pg-database-size', 'PostgreSQL database size', 'pg_database_size_bytes', 'gt', 50 * 2 ** 30, 100 * 2 ** 30, { unit: ' bytes', forSeconds: 0 }),
  // redis exporter
  { ...rule('redis-exporter-down', 'Redis down (exporter)', 'redis_up', 'lt', 1, null, { forSeconds: 60 }), summary: 'Redis behind {labels.instance} does not answer the exporter' },
  rule('redis-memory', 'Redis memory vs maxmemory', 'redis_memory_used_ratio', 'gt', 0.85, 0.95, { hysteresis: 0.02 }),
  rule('redis-hit-rate', 'Redis keyspace hit ratio', 'redis_keyspace_hit_ratio', 'lt', 0.9, null, { hysteresis: 0.01, forSeconds: 300 }),
  rule('redis-evictions', 'Redis eviction ratio', 'redis_eviction_ratio', 'gt', 0.01, 0.05),
  rule('redis-clients', 'Redis clients vs maxclients', 'redis_clients_used_ratio', 'gt', 0.8, 0.95, { hysteresis: 0.02 }),
];
