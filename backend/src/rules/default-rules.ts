import type { CreateRuleRequest } from '../../../shared/api/alerts';
import { EXPORTER_RULES } from './exporter-rules';

/** A rule as the code declares it: aggregation and grouping are optional (none). */
export type RuleDefinition = Omit<CreateRuleRequest, 'aggregation' | 'groupBy'> & Partial<Pick<CreateRuleRequest, 'aggregation' | 'groupBy'>>;
export type DefaultRule = RuleDefinition & { id: string; summary: string };

const threshold = (id: string, name: string, metric: string, warning: number, critical: number, hysteresis: number, unit: string, forSeconds = 120): DefaultRule => ({
  id,
  name,
  metric,
  labels: {},
  comparison: 'gt',
  warning,
  critical,
  warningSeverity: 'medium',
  criticalSeverity: 'critical',
  forSeconds,
  hysteresis,
  enabled: true,
  summary: `${name}: {value}${unit} (threshold {threshold}${unit})`,
});

const down = (id: string, check: string, name: string, level: 'warning' | 'critical', severity: 'medium' | 'high' | 'critical', forSeconds: number): DefaultRule => ({
  id,
  name,
  metric: 'health_up',
  labels: { check },
  comparison: 'lt',
  warning: level === 'warning' ? 1 : null,
  critical: level === 'critical' ? 1 : null,
  warningSeverity: severity,
  criticalSeverity: severity,
  forSeconds,
  hysteresis: 0,
  enabled: true,
  summary: `${name}: the ${check} health check is failing`,
});

/**
 * The manuals' defaults. Thresholds (ops documentation, "System Metrics"): CPU 70/90 %, memory
 * 80/95 %, disk 85/95 %, response time 2/5 s, error rate 5/10 %. Alert table (operations manual,
 * "Alert Triggers"): API down critical after 2 min, database down critical after 1 min, Redis down
 * warning after 1 min, low disk space below 10 % free. A warning level maps to medium severity
 * ("performance degradation"), a critical level to critical ("system failure").
 */
export const DEFAULT_RULES: DefaultRule[] = [
  threshold('builtin-cpu', 'High CPU usage', 'host_cpu_percent', 70, 90, 5, '%'),
  threshold('builtin-memory', 'High memory usage', 'host_memory_percent', 80, 95, 5, '%'),
  threshold('builtin-disk', 'High disk usage', 'host_disk_used_percent', 85, 95, 2, '%', 60),
  threshold('builtin-response-time', 'High response time', 'http_response_p95_seconds', 2, 5, 0.5, ' s'),
  threshold('builtin-error-rate', 'High error rate', 'http_error_rate_percent', 5, 10, 1, '%'),
  {
    id: 'builtin-low-disk',
    name: 'Low disk space',
    metric: 'host_disk_free_percent',
    labels: {},
    comparison: 'lt',
    warning: 10,
    critical: null,
    warningSeverity: 'medium',
    criticalSeverity: 'critical',
    forSeconds: 60,
    hysteresis: 1,
    enabled: true,
    summary: 'Low disk space on {labels.mount}: {value}% free (alert below {threshold}%)',
  },
  down('builtin-api-down', 'api', 'API down', 'critical', 'critical', 120),
  down('builtin-database-down', 'database', 'Database down', 'critical', 'critical', 60),
  down('builtin-redis-down', 'redis', 'Redis down', 'warning', 'medium', 60),
  down('builtin-smtp-down', 'smtp', 'SMTP down', 'warning', 'medium', 120),
  down('builtin-storage-down', 'storage', 'Storage down', 'critical', 'critical', 60),
  ...EXPORTER_RULES,
];
