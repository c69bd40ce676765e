import type { Generated } from 'kysely';

/** Tables of the monitoring, alerting and incident domain (migration 0020). Epoch-ms times, 0/1 booleans. */
export interface MetricPointsTable {
  name: string;
  /** Canonical JSON of the series' labels (sorted keys). */
  labels: string;
  /** 0 = raw sample, 60000 = 1-minute rollup, 3600000 = 1-hour rollup. */
  res: number;
  at: number;
  value: number;
  min: number;
  max: number;
  count: number;
}

export interface AlertRulesTable {
  id: string;
  name: string;
  metric: string;
  labels: string;
  comparison: 'gt' | 'lt';
  warning: number | null;
  critical: number | null;
  warning_severity: string;
  critical_severity: string;
  for_seconds: number;
  hysteresis: number;
  enabled: number;
  builtin: number;
  summary: string;
  created_at: number;
  updated_at: number;
  /** Migration 0091: 'none' or avg/min/max/sum/count across the matching series. */
  aggregation: string;
  /** Migration 0091: JSON array of the label names kept by the aggregation. */
  group_by: string;
}

export interface AlertsTable {
  id: string;
  fingerprint: string;
  source: string;
  rule_id: string | null;
  name: string;
  severity: string;
  status: string;
  summary: string;
  description: string | null;
  labels: string;
  annotations: string;
  value: number | null;
  count: number;
  starts_at: number;
  last_seen_at: number;
  acked_at: number | null;
  acked_by: string | null;
  resolved_at: number | null;
  resolved_by: string | null;
  resolve_reason: string | null;
  silenced: number;
  silence_id: string | null;
  generator_url: string | null;
  escalation_level: number;
  next_escalation_at: number | null;
  incident_id: string | null;
  created_at: number;
  updated_at: number;
  /** Migration 0041: the policy it follows, its repeats so far, its owner, its ack timeout. */
  policy_id: string | null;
  escalation_round: number;
  owner_id: string | null;
  owner_name: string | null;
  owned_at: number | null;
  ack_expires_at: number | null;
  /** Alertmanager's endsAt (0082): resolved by the alert tick once passed. */
  ends_at: number | null;
}

/** Who was paged for which alert at which level (migration 0041): nobody twice per level. */
export interface AlertPagesTable {
  alert_id: string;
  /** `<round>.<level>`, plus `.ack@<acked_at>` for a re-page after an ack timeout. */
  page_key: string;
  user_id: string;
  at: number;
}

export interface AlertNotesTable {
  id: string;
  alert_id: string;
  author_id: string | null;
  body: string;
  at: number;
}

export interface SilencesTable {
  id: string;
  matchers: string;
  starts_at: number;
  ends_at: number;
  comment: string;
  created_by: string | null;
  created_at: number;
}

export interface NotificationChannelsTable {
  id: string;
  type: string;
  name: string;
  severities: string;
  enabled: number;
  url: string | null;
  updated_at: number;
}

export interface NotificationPreferencesTable {
  user_id: string;
  channel: string;
  enabled: number;
  address: string | null;
  min_severity: string;
}

export interface NotificationDeliveriesTable {
  id: string;
  alert_id: string | null;
  channel: string;
  target: string;
  status: string;
  attempts: number;
  error: string | null;
  next_attempt_at: number | null;
  escalation_level: number;
  payload: string;
  created_at: number;
  sent_at: number | null;
  /** When the attempt in flight started (status pending); migration 0022. */
  attempt_started_at: number | null;
  /** The person it is for (0081); null for Slack and for deliveries recorded before. */
  user_id: string | null;
}

/** A user's do-not-disturb window (0081). */
export interface NotificationQuietHoursTable {
  user_id: string;
  enabled: number;
  from_time: string;
  to_time: string;
  time_zone: string;
  allow_critical: number;
  updated_at: number;
}

/** A threshold condition waiting out its rule's `for` duration (migration 0022). */
export interface AlertRulePendingTable {
  fingerprint: string;
  rule_id: string;
  level: string;
  since: number;
  checked_at: number;
}

export interface EscalationPoliciesTable {
  id: string;
  levels: string;
  updated_at: number;
  /** Migration 0041. */
  name: string;
  /** JSON labels an alert must carry. */
  match: string;
  position: number;
  repeat: number;
  ack_timeout_minutes: number | null;
}

export interface HeartbeatsTable {
  id: string;
  name: string;
  interval_seconds: number;
  grace_seconds: number;
  severity: string;
  last_ping_at: number | null;
  status: string;
  created_at: number;
}

export interface IncidentsTable {
  id: string;
  title: string;
  description: string | null;
  severity: string;
  state: string;
  commander_id: string | null;
  created_by: string | null;
  detected_at: number;
  acknowledged_at: number | null;
  resolved_at: number | null;
  reviewed_at: number | null;
  response_due_at: number;
  response_breached: number;
  summary: string | null;
  root_cause: string | null;
  follow_ups: string;
  created_at: number;
  updated_at: number;
}

export interface IncidentLinksTable {
  incident_id: string;
  kind: string;
  ref_id: string;
  at: number;
}

export interface IncidentTimelineTable {
  id: Generated<number>;
  incident_id: string;
  at: number;
  kind: string;
  author_id: string | null;
  body: string;
  data: string | null;
}

/** A person's email address or phone number (migration 0140); paged only once verified. */
export interface ContactMethodsTable {
  id: string;
  user_id: string;
  kind: string;
  address: string;
  verified_at: number | null;
  code_hash: string | null;
  code_expires_at: number | null;
  code_sent_at: number | null;
  code_attempts: number;
  created_at: number;
}

export interface MonitoringTables {
  metric_points: MetricPointsTable;
  alert_rules: AlertRulesTable;
  alert_rule_pending: AlertRulePendingTable;
  alerts: AlertsTable;
  alert_notes: AlertNotesTable;
  silences: SilencesTable;
  notification_channels: NotificationChannelsTable;
  notification_preferences: NotificationPreferencesTable;
  notification_deliveries: NotificationDeliveriesTable;
  notification_quiet_hours: NotificationQuietHoursTable;
  contact_methods: ContactMethodsTable;
  escalation_policies: EscalationPoliciesTable;
  alert_pages: AlertPagesTable;
  heartbeats: HeartbeatsTable;
  incidents: IncidentsTable;
  incident_links: IncidentLinksTable;
  incident_timeline: IncidentTimelineTable;
}
