import { z } from 'zod';

/** The manuals' four alert severities, lowest first; incidents use the same scale. */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;
export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

export const ALERT_STATUSES = ['firing', 'acknowledged', 'resolved'] as const;
export const AlertStatus = z.enum(ALERT_STATUSES);
export type AlertStatus = z.infer<typeof AlertStatus>;

/** An alert still needing attention. */
export const ACTIVE_ALERT_STATUSES = ['firing', 'acknowledged'] as const satisfies readonly AlertStatus[];

/** The statuses an alert arrives with from other systems (Alertmanager, Grafana, webhooks). */
export const INBOUND_ALERT_STATUSES = ['firing', 'resolved'] as const satisfies readonly AlertStatus[];
export const InboundAlertStatus = z.enum(INBOUND_ALERT_STATUSES);

/** The statuses a cached alert may show: the server's, and `silenced` when an active silence matches it. */
export const CACHED_ALERT_STATUSES = [...ALERT_STATUSES, 'silenced'] as const;
export const CachedAlertStatus = z.enum(CACHED_ALERT_STATUSES);
export type CachedAlertStatus = z.infer<typeof CachedAlertStatus>;

export const ALERT_SOURCES = ['rule', 'alertmanager', 'grafana', 'generic', 'heartbeat', 'incident', 'probe', 'test'] as const;
export const AlertSource = z.enum(ALERT_SOURCES);
export type AlertSource = z.infer<typeof AlertSource>;
