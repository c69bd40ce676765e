import { sql, type SqlBool } from 'kysely';
import type { Alert, AlertSource, Severity } from '../../../shared/api/alerts';
import { ACTIVE_ALERT_STATUSES } from '../../../shared/domain/alerts';
import type { Database } from '../platform/db/schema';
import { parseJson, type LabelSet } from './labels';

/** The alert record: its row, its DTO, what raising takes and returns, its listeners. */
export type Row = Database['alerts'];

/** One occurrence of a problem, from a rule, a receiver or a heartbeat. */
export interface RaiseInput {
  source: AlertSource;
  /** Dedup scope (rule id, receiver + external fingerprint, …); labels are added to it. */
  scope: string;
  /** Use this fingerprint as is instead of hashing scope + labels. */
  fingerprint?: string;
  ruleId?: string | null;
  name: string;
  severity: Severity;
  summary?: string;
  description?: string | null;
  labels: LabelSet;
  annotations?: LabelSet;
  value?: number | null;
  generatorUrl?: string | null;
  startsAt?: number;
  /** The sender's end time (Alertmanager's endsAt): the alert resolves once it passes without a repeat. */
  endsAt?: number | null;
}

export interface RaiseOutcome {
  alert: Alert;
  kind: 'fired' | 'updated';
}

export interface AlertListeners {
  fired: ((alert: Alert) => void)[];
  resolved: ((alert: Alert) => void)[];
  updated: ((alert: Alert, what: string) => void)[];
}

/** The statuses of an open alert. */
export const ACTIVE: string[] = [...ACTIVE_ALERT_STATUSES];

/**
 * "Open" as both databases' partial indexes on open alerts are written (`status <> 'resolved'`):
 * a fingerprint lookup then walks `alerts_open_fingerprint`; with `status in (…)` SQLite's planner
 * walks every open alert through `alerts_status_starts` instead (15 ms per webhook at 10,000 open).
 */
export const OPEN = sql<SqlBool>`status <> 'resolved'`;

export function toAlert(r: Row): Alert {
  return {
    id: r.id,
    fingerprint: r.fingerprint,
    source: r.source as AlertSource,
    ruleId: r.rule_id,
    name: r.name,
    severity: r.severity as Severity,
    status: r.status as Alert['status'],
    summary: r.summary,
    description: r.description,
    labels: parseJson(r.labels, {}),
    annotations: parseJson(r.annotations, {}),
    value: r.value === null ? null : Number(r.value),
    count: Number(r.count),
    startsAt: r.starts_at,
    lastSeenAt: r.last_seen_at,
    acknowledgedAt: r.acked_at,
    acknowledgedBy: r.acked_by,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
    resolveReason: r.resolve_reason,
    silenced: r.silenced === 1,
    silenceId: r.silence_id,
    generatorUrl: r.generator_url,
    escalationLevel: Number(r.escalation_level),
    nextEscalationAt: r.next_escalation_at,
    incidentId: r.incident_id,
    updatedAt: r.updated_at,
    policyId: r.policy_id ?? null,
    escalationRound: Number(r.escalation_round ?? 0),
    ownerId: r.owner_id ?? null,
    ownerName: r.owner_name ?? null,
    ownedAt: r.owned_at ?? null,
    ackExpiresAt: r.ack_expires_at ?? null,
  };
}

/** Labels silences match against: the alert's own plus alertname and severity, as in Alertmanager. */
export function matchLabels(a: { name: string; severity: string; labels: LabelSet }): LabelSet {
  return { alertname: a.name, severity: a.severity, ...a.labels };
}
