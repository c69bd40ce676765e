import { z } from 'zod';
import { Id, Timestamp } from './common';
import { TimeZone } from './oncall';

import { ALERT_SOURCES, ALERT_STATUSES, AlertSource, AlertStatus, SEVERITIES, Severity } from '../domain/alerts';
import { Role } from '../domain/roles';

// Declared once in shared/domain; re-exported for the existing importers.
export { ALERT_SOURCES, ALERT_STATUSES, AlertSource, AlertStatus, SEVERITIES, Severity, severityRank } from '../domain/alerts';

const LabelName = z.string().min(1).max(100);
const LabelValue = z.string().max(1000);
export const Labels = z.record(LabelName, LabelValue).refine((l) => Object.keys(l).length <= 64, 'at most 64 labels');
export type Labels = z.infer<typeof Labels>;

export const Alert = z.object({
  id: Id,
  fingerprint: z.string(),
  source: AlertSource,
  ruleId: z.string().nullable(),
  name: z.string(),
  severity: Severity,
  status: AlertStatus,
  summary: z.string(),
  description: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  value: z.number().nullable(),
  count: z.number().int().describe('occurrences deduplicated into this alert'),
  startsAt: Timestamp,
  lastSeenAt: Timestamp,
  acknowledgedAt: Timestamp.nullable(),
  acknowledgedBy: z.string().nullable(),
  resolvedAt: Timestamp.nullable(),
  resolvedBy: z.string().nullable(),
  resolveReason: z.string().nullable(),
  silenced: z.boolean(),
  silenceId: z.string().nullable(),
  generatorUrl: z.string().nullable(),
  escalationLevel: z.number().int().describe('-1 before the first notification'),
  nextEscalationAt: Timestamp.nullable(),
  incidentId: z.string().nullable(),
  updatedAt: Timestamp,
  policyId: z.string().nullable().describe('the escalation policy it follows'),
  escalationRound: z.number().int().describe('how many times its policy has repeated'),
  ownerId: z.string().nullable().describe('who said "I\'m on it"; escalation then pages only them'),
  ownerName: z.string().nullable(),
  ownedAt: Timestamp.nullable(),
  ackExpiresAt: Timestamp.nullable().describe('when an acknowledgement not followed by a resolve fires the alert again'),
});
export type Alert = z.infer<typeof Alert>;

const csv = <const T extends readonly [string, ...string[]]>(values: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)));

export const AlertQuery = z.object({
  status: csv([...ALERT_STATUSES, 'active'] as const).optional().describe('comma-separated; active = firing or acknowledged'),
  severity: csv(SEVERITIES).optional(),
  source: csv(ALERT_SOURCES).optional(),
  silenced: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  label: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.string().regex(/^[^=]+=.*$/, 'label filters look like name=value')))
    .optional(),
  q: z.string().max(200).optional().describe('text in name or summary'),
  from: z.coerce.number().int().optional(),
  to: z.coerce.number().int().optional(),
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AlertQuery = z.infer<typeof AlertQuery>;

export const AlertPage = z.object({ items: z.array(Alert), nextCursor: z.string().nullable() });

export const AlertNote = z.object({ id: Id, alertId: Id, authorId: z.string().nullable(), body: z.string(), at: Timestamp });
export type AlertNote = z.infer<typeof AlertNote>;
export const AddNoteRequest = z.object({ body: z.string().trim().min(1).max(10_000) });
export const ResolveRequest = z.object({ reason: z.string().trim().max(1000).optional() }).default({});

/** Many alerts at once (a selection, a group): each is done on its own; one that cannot be is reported, not fatal. */
export const BulkAlertRequest = z.object({
  ids: z.array(Id).min(1).max(500),
  action: z.enum(['acknowledge', 'resolve']),
  reason: z.string().trim().max(1000).optional(),
});
export type BulkAlertRequest = z.infer<typeof BulkAlertRequest>;
export const BulkAlertResult = z.object({
  done: z.array(z.object({ id: Id, status: z.string() })),
  failed: z.array(z.object({ id: Id, error: z.string(), message: z.string() })),
});
export type BulkAlertResult = z.infer<typeof BulkAlertResult>;
export const CreateAlertRequest = z.object({
  name: z.string().trim().min(1).max(200),
  severity: Severity,
  summary: z.string().trim().max(2000).optional(),
  description: z.string().max(10_000).optional(),
  labels: Labels.optional(),
});

export const AlertDetail = Alert.extend({ notes: z.array(AlertNote) });

/* ---------------------------------------------------------------- silences */

export const Matcher = z.object({
  name: LabelName,
  value: z.string().max(1000),
  isRegex: z.boolean().default(false),
  isEqual: z.boolean().default(true).describe('false negates the match'),
});
export type Matcher = z.infer<typeof Matcher>;

export const CreateSilenceRequest = z.object({
  matchers: z.array(Matcher).min(1).max(32),
  startsAt: Timestamp.optional().describe('default now'),
  endsAt: Timestamp,
  comment: z.string().trim().min(1).max(2000),
});
export type CreateSilenceRequest = z.infer<typeof CreateSilenceRequest>;

export const SilenceState = z.enum(['pending', 'active', 'expired']);
export const Silence = z.object({
  id: Id,
  matchers: z.array(Matcher),
  startsAt: Timestamp,
  endsAt: Timestamp,
  comment: z.string(),
  createdBy: z.string().nullable(),
  createdByName: z.string().nullable().default(null).describe("the creator's name, when the user still exists"),
  createdAt: Timestamp,
  state: SilenceState,
  mutes: z.number().int().default(0).describe('open alerts it mutes now'),
});
export type Silence = z.infer<typeof Silence>;
export const SilenceQuery = z.object({ state: SilenceState.optional() });
/** An edit: an expired silence cannot be changed (create a new one). */
export const UpdateSilenceRequest = z
  .object({ matchers: z.array(Matcher).min(1).max(32), endsAt: Timestamp, comment: z.string().trim().min(1).max(2000) })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type UpdateSilenceRequest = z.infer<typeof UpdateSilenceRequest>;
/**
 * Silences many alerts at once: `cover` makes one silence whose matchers match every selected alert
 * (labels they all carry: equal, or an alternation of their values); `each` one silence per alert
 * (all its labels). `dryRun` answers the matchers and what they would mute without creating anything.
 */
export const BulkSilenceRequest = z.object({
  ids: z.array(Id).min(1).max(500),
  mode: z.enum(['cover', 'each']),
  durationMinutes: z.number().int().min(1).max(60 * 24 * 30),
  comment: z.string().trim().min(1).max(2000),
  dryRun: z.boolean().default(false),
});
export type BulkSilenceRequest = z.infer<typeof BulkSilenceRequest>;
export const BulkSilenceResult = z.object({
  silences: z.array(Silence),
  /** The proposed matchers of each silence (also on a dry run). */
  matchers: z.array(z.array(Matcher)),
  /** The selected alerts as they are now (silenced, unless resolved). */
  alerts: z.array(Alert),
  /** Open alerts outside the selection that the matchers also mute. */
  alsoMutes: z.array(z.object({ id: Id, name: z.string() })),
  failed: z.array(z.object({ id: Id, error: z.string(), message: z.string() })),
});
export type BulkSilenceResult = z.infer<typeof BulkSilenceResult>;

/* ---------------------------------------------------------------- rules */

export const Comparison = z.enum(['gt', 'lt']);
export type Comparison = z.infer<typeof Comparison>;

export const RULE_AGGREGATIONS = ['none', 'avg', 'min', 'max', 'sum', 'count'] as const;
export type RuleAggregation = (typeof RULE_AGGREGATIONS)[number];

const RuleFields = z.object({
  name: z.string().trim().min(1).max(200),
  metric: z.string().trim().min(1).max(200),
  labels: z.record(z.string(), z.string()).default({}).describe('only series with these labels'),
  comparison: Comparison,
  warning: z.number().nullable(),
  critical: z.number().nullable(),
  warningSeverity: Severity.default('medium'),
  criticalSeverity: Severity.default('critical'),
  forSeconds: z.number().int().min(0).max(86_400).default(0),
  hysteresis: z.number().min(0).default(0).describe('how far past the threshold the value must fall back before the alert clears'),
  enabled: z.boolean().default(true),
  summary: z.string().max(500).optional().describe('template: {value} {threshold} {labels.x}'),
  aggregation: z.enum(RULE_AGGREGATIONS).default('none').describe('none: each series on its own; else one value per group of the matching series'),
  groupBy: z.array(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'is not a label name')).max(10).default([]).describe('label names the aggregation keeps, e.g. ["job"]'),
});

function thresholdsInOrder(r: { comparison?: Comparison; warning?: number | null; critical?: number | null }): boolean {
  if (r.warning == null || r.critical == null || !r.comparison) return true;
  return r.comparison === 'gt' ? r.warning <= r.critical : r.warning >= r.critical;
}

export const CreateRuleRequest = RuleFields.refine((r) => r.warning !== null || r.critical !== null, 'set a warning or a critical level');
export type CreateRuleRequest = z.infer<typeof CreateRuleRequest>;
/** Defaults apply on create only: a PATCH changes just the fields it names. */
export const UpdateRuleRequest = RuleFields.extend({
  labels: RuleFields.shape.labels.unwrap(),
  warningSeverity: Severity,
  criticalSeverity: Severity,
  forSeconds: RuleFields.shape.forSeconds.unwrap(),
  hysteresis: RuleFields.shape.hysteresis.unwrap(),
  enabled: RuleFields.shape.enabled.unwrap(),
  aggregation: RuleFields.shape.aggregation.unwrap(),
  groupBy: RuleFields.shape.groupBy.unwrap(),
})
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type UpdateRuleRequest = z.infer<typeof UpdateRuleRequest>;
export { thresholdsInOrder };

export const Rule = RuleFields.extend({
  id: Id,
  builtin: z.boolean(),
  summary: z.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Rule = z.infer<typeof Rule>;

/** A draft rule's condition, checked against the current data ("would fire now on: …"). */
export const RulePreviewRequest = RuleFields.pick({ metric: true, labels: true, comparison: true, warning: true, critical: true, aggregation: true, groupBy: true });
export const RulePreview = z.object({
  evaluatedAt: Timestamp,
  /** Matching series seen within the staleness window, with the level each would reach now. */
  series: z.array(z.object({ labels: z.record(z.string(), z.string()), value: z.number(), level: z.enum(['warning', 'critical']).nullable() })),
});
export type RulePreview = z.infer<typeof RulePreview>;

/** The rule's state over time: each alert it raised, from firing to resolved. */
export const RuleHistoryEntry = z.object({
  alertId: Id,
  startsAt: Timestamp,
  resolvedAt: Timestamp.nullable(),
  status: z.string(),
  severity: Severity,
  level: z.string().nullable(),
  summary: z.string(),
  labels: z.record(z.string(), z.string()),
});
export const RuleHistoryQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

/* ---------------------------------------------------------------- channels and deliveries */

export const CHANNEL_TYPES = ['desktop', 'email', 'slack', 'sms'] as const;
export const ChannelType = z.enum(CHANNEL_TYPES);
export type ChannelType = z.infer<typeof ChannelType>;

export const Channel = z.object({
  id: Id,
  type: ChannelType,
  name: z.string(),
  severities: z.array(Severity),
  enabled: z.boolean(),
  /** Webhook URL for slack/sms (falls back to SLACK_WEBHOOK_URL / SMS_WEBHOOK_URL); never returned in full. */
  url: z.string().nullable(),
  configured: z.boolean(),
  updatedAt: Timestamp,
});
export type Channel = z.infer<typeof Channel>;
export const UpdateChannelRequest = z
  .object({ severities: z.array(Severity).max(4), enabled: z.boolean(), url: z.string().url().max(2000).nullable() })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');

export const NotificationPreference = z.object({
  channel: ChannelType,
  enabled: z.boolean(),
  /** Email override or phone number for SMS. */
  address: z.string().max(320).nullable(),
  minSeverity: Severity,
});
export type NotificationPreference = z.infer<typeof NotificationPreference>;
export const UpdatePreferencesRequest = z.object({ preferences: z.array(NotificationPreference).max(4) });

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM (24-hour)');
/** A user's do-not-disturb window, decided on the server: held notifications arrive as one summary when it ends. */
export const QuietHours = z.object({
  enabled: z.boolean(),
  from: HHMM,
  to: HHMM,
  /** Checked on the server (an IANA zone). */
  timeZone: TimeZone,
  /** Critical alerts page through the window. */
  allowCritical: z.boolean(),
});
export type QuietHours = z.infer<typeof QuietHours>;

/** held: kept back by the user's quiet hours; summarized: delivered in the summary when they ended. */
export const DELIVERY_STATUSES = ['pending', 'sent', 'failed', 'held', 'summarized'] as const;
export const Delivery = z.object({
  id: Id,
  alertId: z.string().nullable(),
  channel: ChannelType,
  target: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  error: z.string().nullable(),
  nextAttemptAt: Timestamp.nullable(),
  escalationLevel: z.number().int(),
  createdAt: Timestamp,
  sentAt: Timestamp.nullable(),
});
export type Delivery = z.infer<typeof Delivery>;

/* ---------------------------------------------------------------- escalation */

export const EscalationLevel = z.object({
  name: z.string().trim().min(1).max(100),
  afterMinutes: z.number().int().min(0).max(10_080),
  roles: z.array(Role).default([]),
  userIds: z.array(Id).default([]),
  /** Whoever is on call on these schedules when the level is reached. */
  scheduleIds: z.array(Id).default([]),
});
export type EscalationLevel = z.infer<typeof EscalationLevel>;
/** Ordered levels, each later than the one before, each targeting someone. */
export const EscalationLevels = z
  .array(EscalationLevel)
  .min(1)
  .max(10)
  .refine((ls) => ls.every((l, i) => i === 0 || l.afterMinutes > ls[i - 1]!.afterMinutes), 'levels must come later one after another')
  .refine((ls) => ls.every((l) => l.roles.length + l.userIds.length + l.scheduleIds.length > 0), 'each level targets schedules, users or roles');
export const EscalationPolicy = z.object({
  levels: EscalationLevels,
  updatedAt: Timestamp.optional(),
});
export type EscalationPolicy = z.infer<typeof EscalationPolicy>;

/* ---------------------------------------------------------------- heartbeats */

export const Heartbeat = z.object({
  id: Id,
  name: z.string(),
  intervalSeconds: z.number().int(),
  graceSeconds: z.number().int(),
  severity: Severity,
  lastPingAt: Timestamp.nullable(),
  status: z.enum(['up', 'missed']),
  createdAt: Timestamp,
});
export type Heartbeat = z.infer<typeof Heartbeat>;
export const HeartbeatName = z.object({ name: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'name: letters, digits, _ . - (1-100)') });
export const HeartbeatPingQuery = z.object({
  interval: z.coerce.number().int().min(5).max(7 * 86_400).optional().describe('expected seconds between pings (first ping sets it; default 60)'),
  grace: z.coerce.number().int().min(0).max(86_400).optional(),
  severity: Severity.optional(),
});

/* ---------------------------------------------------------------- desktop popups */

/**
 * Socket.io event the desktop channel emits to the targeted user's sockets only (room
 * `user:<id>`), inside the LiveEvent envelope with `seq: null` (transient, not in delta sync):
 * the desktop shows a native popup from it.
 */
export const ALERT_NOTIFY_EVENT = 'alert.notify';
export const AlertNotification = z.object({
  /** The delivery this popup is (null for a test notification sent outside the delivery queue). */
  deliveryId: z.string().nullable(),
  /** The person it is for: a desktop shows it only when signed in as them. */
  userId: z.string(),
  title: z.string().describe('"[SEVERITY] name: summary", at most 250 characters'),
  body: z.string().describe('plain text, one fact per line'),
  severity: Severity,
  alertId: z.string().nullable().describe('null for a test notification'),
  alert: Alert.nullable().describe('the alert as it was when notified; null for a test notification'),
  /** The ticket a notice is about (an SLA warning or breach): a click opens it. Absent from older servers. */
  ticket: z.object({ id: z.string(), number: z.number().int().positive() }).nullable().optional(),
});
export type AlertNotification = z.infer<typeof AlertNotification>;

// Contact methods and the SMTP status live in contacts.ts; re-exported for the channel routes' importers.
export * from './contacts';
