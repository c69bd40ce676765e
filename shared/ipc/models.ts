import { z } from 'zod';
import { Timestamp } from '../api/common';
import { CACHED_ALERT_STATUSES, CachedAlertStatus, Severity } from '../domain/alerts';
import { Role } from '../domain/roles';
import { UpdateChannel } from '../domain/updates';
import { QueueCalendar } from '../api/calendars';
import { CachedSlaState, Priority, TicketStatus } from '../domain/tickets';

/**
 * What the renderer sees. These are the desktop's view models (read from the local cache or
 * passed through from the server), not the HTTP schemas: the core maps one onto the other.
 */

/** A desktop id: the server's, or one made here (`local-<uuid>`, `builtin:queue:<id>`), hence longer than the server's. */
export const Id = z.string().min(1).max(128);
export { Timestamp };

// Enums and domain constants are declared once, in shared/domain.
export { OPEN_TICKET_STATUSES, PRIORITIES, Priority, TICKET_STATUSES, TicketStatus } from '../domain/tickets';
export { ACTIVE_ALERT_STATUSES, SEVERITIES, Severity } from '../domain/alerts';
export { ROLES, Role } from '../domain/roles';
/** A cached ticket's SLA state (the server's, or `none` before it has one). */
export const SlaState = CachedSlaState;
export type SlaState = CachedSlaState;

export const Tag = z.string().trim().min(1).max(50);

// ── people and queues ──────────────────────────────────────────────────────────────────────────
export const UserRef = z.object({ id: Id, name: z.string(), email: z.string(), role: Role, disabled: z.boolean().default(false) });
export type UserRef = z.infer<typeof UserRef>;

export const Queue = z.object({
  id: Id,
  name: z.string(),
  description: z.string().nullable().default(null),
  memberIds: z.array(Id).default([]),
  /** The business-hours calendar the queue's SLA clocks follow (countdowns count business time); null: 24×7. */
  slaCalendar: QueueCalendar.nullable().catch(null).default(null),
});
export type Queue = z.infer<typeof Queue>;

// ── tickets ────────────────────────────────────────────────────────────────────────────────────
export const TicketSummary = z.object({
  id: Id,
  number: z.number().int(),
  subject: z.string(),
  status: TicketStatus,
  priority: Priority,
  queueId: Id.nullable(),
  /** The requester's display name, and email. */
  requester: z.string(),
  requesterEmail: z.string(),
  assigneeId: Id.nullable(),
  tags: z.array(z.string()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  firstResponseDueAt: Timestamp.nullable(),
  resolutionDueAt: Timestamp.nullable(),
  slaState: SlaState,
  /** The server's row version; the outbox sends it so the server can answer 409 on a stale write. */
  version: z.number().int(),
  /** True while a local edit of this ticket waits in the outbox. */
  pending: z.boolean(),
  /** True when a same-field conflict on this ticket waits for the user (keep mine / take theirs). */
  conflict: z.boolean(),
});
export type TicketSummary = z.infer<typeof TicketSummary>;

/** A comment's email side: how it came in (an emailed reply) or went out (a public reply's delivery). */
export const CommentEmail = z.object({
  source: z.enum(['app', 'email']).default('app'),
  authorEmail: z.string().nullable().default(null),
  /** Sanitized by the server (no scripts, handlers, styles, remote images). */
  html: z.string().nullable().default(null),
  flags: z.array(z.string()).default([]),
  delivery: z
    .object({
      state: z.enum(['queued', 'sending', 'sent', 'retrying', 'failed']),
      to: z.array(z.string()),
      attempts: z.number().int(),
      error: z.string().nullable(),
      messageId: z.string(),
      sentAt: Timestamp.nullable(),
      nextAttemptAt: Timestamp.nullable(),
    })
    .nullable()
    .default(null),
});
export type CommentEmail = z.infer<typeof CommentEmail>;

/** A file on a ticket or comment: its metadata is cached, its content fetched on demand. */
export const Attachment = z.object({
  id: Id,
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  /** Uploaded offline: waits in the outbox with its comment or ticket. */
  pending: z.boolean().default(false),
});
export type Attachment = z.infer<typeof Attachment>;

/** A file picked in the app, base64 (sent with its ticket or comment, offline through the outbox). */
export const AttachmentUpload = z.object({ filename: z.string().trim().min(1).max(200), data: z.string().max(14_000_000) });
export type AttachmentUpload = z.infer<typeof AttachmentUpload>;

export const Comment = z.object({
  id: Id,
  ticketId: Id,
  authorId: Id.nullable(),
  authorName: z.string(),
  body: z.string(),
  /** Internal notes are visible to agents only; public replies go to the requester. */
  internal: z.boolean(),
  createdAt: Timestamp,
  pending: z.boolean(),
  email: CommentEmail.nullable().default(null),
  attachments: z.array(Attachment).default([]),
});
export type Comment = z.infer<typeof Comment>;

export const HistoryEntry = z.object({
  id: Id,
  ticketId: Id,
  at: Timestamp,
  actorName: z.string().nullable(),
  field: z.string(),
  from: z.unknown(),
  to: z.unknown(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const TicketDetail = z.object({
  ticket: TicketSummary.extend({ description: z.string(), attachments: z.array(Attachment).default([]) }),
  comments: z.array(Comment),
  history: z.array(HistoryEntry),
  /** Fields with a local change not yet accepted by the server. */
  pendingFields: z.array(z.string()),
});
export type TicketDetail = z.infer<typeof TicketDetail>;

export const TICKET_SORT_FIELDS = ['priority', 'number', 'subject', 'requester', 'status', 'assignee', 'updatedAt', 'createdAt', 'slaDue'] as const;
export const TicketSort = z.object({ field: z.enum(TICKET_SORT_FIELDS), dir: z.enum(['asc', 'desc']) });
export type TicketSort = z.infer<typeof TicketSort>;

export const TicketFilter = z
  .object({
    queueId: Id,
    status: z.array(TicketStatus).max(5),
    priority: z.array(Priority).max(4),
    /** A user id, 'me' (the signed-in user) or 'unassigned'. */
    assignee: z.union([z.literal('me'), z.literal('unassigned'), Id]),
    tag: Tag,
    /** Only tickets whose SLA is breached or about to be (warning). */
    breaching: z.boolean(),
    /** Full-text restriction (FTS over subject, description and comments). */
    text: z.string().max(200),
  })
  .partial();
export type TicketFilter = z.infer<typeof TicketFilter>;

export const TicketChanges = z
  .object({
    status: TicketStatus,
    priority: Priority,
    assigneeId: Id.nullable(),
    tags: z.array(Tag).max(30),
    subject: z.string().trim().min(1).max(300),
    /** Move to another queue (the server unassigns an assignee who cannot work there). */
    queueId: Id,
    description: z.string().max(20_000),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type TicketChanges = z.infer<typeof TicketChanges>;

export const SavedView = z.object({
  id: Id,
  name: z.string().min(1).max(80),
  /** Built-in views (My open, Unassigned, Breaching SLA, one per queue) cannot be removed. */
  builtIn: z.boolean(),
  filter: TicketFilter,
  sort: TicketSort,
  /** Shared with the team by its owner (only the owner changes it). */
  shared: z.boolean().default(false),
  ownerName: z.string().nullable().default(null),
  /** The signed-in user's own view (built-ins count as theirs: they cannot change them either). */
  mine: z.boolean().default(true),
  /** Saved here and waiting in the outbox for the server. */
  pending: z.boolean().default(false),
});
export type SavedView = z.infer<typeof SavedView>;

// ── alerts and incidents ───────────────────────────────────────────────────────────────────────
/** A cached alert's status (the server's, or `silenced` when a silence matches). */
export const ALERT_STATUSES = CACHED_ALERT_STATUSES;
export const AlertStatus = CachedAlertStatus;
export type AlertStatus = CachedAlertStatus;

export const Alert = z.object({
  id: Id,
  fingerprint: z.string(),
  title: z.string(),
  description: z.string().default(''),
  severity: Severity,
  status: AlertStatus,
  source: z.string().default(''),
  labels: z.record(z.string(), z.string()).default({}),
  firstSeenAt: Timestamp,
  lastSeenAt: Timestamp,
  count: z.number().int().default(1),
  acknowledgedBy: z.string().nullable().default(null),
  acknowledgedAt: Timestamp.nullable().default(null),
  resolvedAt: Timestamp.nullable().default(null),
  incidentId: Id.nullable().default(null),
  /** Who said "I'm on it" (their name); escalation then pages only them. */
  owner: z.string().nullable().default(null),
  pending: z.boolean().default(false),
});
export type Alert = z.infer<typeof Alert>;

export const SilenceMatcher = z.object({ label: z.string().min(1).max(100), value: z.string().max(200), regex: z.boolean().default(false) });
export const Silence = z.object({
  id: Id,
  matchers: z.array(SilenceMatcher),
  startsAt: Timestamp,
  endsAt: Timestamp,
  comment: z.string(),
  createdBy: z.string().nullable(),
});
export type Silence = z.infer<typeof Silence>;

// Online-only domains (incidents, runbooks, jobs, maintenance, backups, metrics) are read from the
// server when needed and not cached, so the renderer sees the server's own schemas (shared/api);
// their calls are the derived `api.*` channels. These are the ones the renderer, the core's cache
// and the events name.
export { Incident } from '../api/incidents';
export { IncidentState, INCIDENT_STATES } from '../domain/incidents';
export { Runbook } from '../api/runbooks';
export { Job, JobLogLine } from '../api/jobs';
export { MaintenanceWindow } from '../api/maintenance';
export { Backup } from '../api/backups';
export { ServiceStatus, ServiceLogs } from '../api/services';
export { SeriesResponse } from '../api/metrics';

// ── desktop state ──────────────────────────────────────────────────────────────────────────────
export const Profile = z.object({
  id: Id,
  name: z.string(),
  kind: z.enum(['local', 'server']),
  /** For 'server': the base URL; for 'local': the embedded backend's current URL (or null when stopped). */
  url: z.string().nullable(),
  lastUserEmail: z.string().nullable(),
  createdAt: Timestamp,
});
export type Profile = z.infer<typeof Profile>;

export const SessionState = z.discriminatedUnion('status', [
  z.object({ status: z.literal('no_profile') }),
  z.object({ status: z.literal('signed_out'), profileId: Id, reason: z.enum(['logout', 'revoked', 'expired', 'never']).default('never') }),
  z.object({ status: z.literal('mfa_required'), profileId: Id, email: z.string() }),
  z.object({ status: z.literal('signed_in'), profileId: Id, user: UserRef.extend({ mfaEnabled: z.boolean() }) }),
]);
export type SessionState = z.infer<typeof SessionState>;

export const SyncPhase = z.enum(['idle', 'initial', 'delta', 'error']);
export const SyncProgress = z.object({
  phase: SyncPhase,
  /** Items applied in this run and, for the initial sync, the server's estimate of the total. */
  done: z.number().int(),
  total: z.number().int().nullable(),
  lastSyncedAt: Timestamp.nullable(),
  error: z.string().nullable(),
  /**
   * What a running sync is doing: reading the change feed, applying the server's snapshot (done and
   * total are records), or building the search and list indexes once at the end of a bulk sync.
   */
  step: z.enum(['changes', 'snapshot', 'indexing']).optional(),
});
export type SyncProgress = z.infer<typeof SyncProgress>;

export const OutboxCounts = z.object({ pending: z.number().int(), failed: z.number().int(), conflicts: z.number().int() });
export type OutboxCounts = z.infer<typeof OutboxCounts>;

export const Connectivity = z.object({
  /** Whether the last request reached the server. */
  online: z.boolean(),
  /** The live feed (socket.io) state. */
  live: z.enum(['connected', 'connecting', 'disconnected']),
  sync: SyncProgress,
  outbox: OutboxCounts,
  /** Shown in the status bar, e.g. "Local workspace (embedded)". */
  serverLabel: z.string().nullable(),
});
export type Connectivity = z.infer<typeof Connectivity>;

export const OUTBOX_KINDS = ['ticket.create', 'ticket.update', 'ticket.comment', 'alert.acknowledge', 'alert.resolve', 'silence.bulk'] as const;
export const OutboxKind = z.enum(OUTBOX_KINDS);
export const FieldConflict = z.object({ field: z.string(), mine: z.unknown(), theirs: z.unknown() });
export type FieldConflict = z.infer<typeof FieldConflict>;
export const OutboxItem = z.object({
  id: z.number().int(),
  kind: OutboxKind,
  /** Ticket or alert id this write targets. */
  targetId: Id,
  /** Human summary, e.g. "#1042 status → resolved". */
  summary: z.string(),
  state: z.enum(['pending', 'sending', 'failed', 'conflict']),
  attempts: z.number().int(),
  createdAt: Timestamp,
  /** The server's reason when state is 'failed'. */
  error: z.string().nullable(),
  conflicts: z.array(FieldConflict),
});
export type OutboxItem = z.infer<typeof OutboxItem>;

export const NotificationPrefs = z.object({
  severities: z.array(Severity),
  dnd: z.object({
    enabled: z.boolean(),
    /** Local time "HH:MM"; the window may cross midnight. */
    from: z.string().regex(/^\d{2}:\d{2}$/),
    to: z.string().regex(/^\d{2}:\d{2}$/),
    allowCritical: z.boolean(),
  }),
  sound: z.boolean(),
});
export type NotificationPrefs = z.infer<typeof NotificationPrefs>;

export const Settings = z.object({
  theme: z.enum(['system', 'light', 'dark']),
  notifications: NotificationPrefs,
  updateChannel: UpdateChannel,
});
export type Settings = z.infer<typeof Settings>;

export const UpdateStatus = z.object({
  state: z.enum(['unsupported', 'idle', 'checking', 'available', 'downloading', 'downloaded', 'up_to_date', 'error']),
  currentVersion: z.string(),
  availableVersion: z.string().nullable(),
  progress: z.number().min(0).max(100).nullable(),
  message: z.string().nullable(),
  checkedAt: Timestamp.nullable(),
});
export type UpdateStatus = z.infer<typeof UpdateStatus>;

export const ShownNotification = z.object({
  id: z.string(),
  at: Timestamp,
  title: z.string(),
  body: z.string(),
  severity: Severity,
  sound: z.boolean(),
  /** Null for a summary popup that groups several alerts. */
  alertId: Id.nullable(),
  alertIds: z.array(Id),
  /** The ticket a notice is about (an SLA warning or breach): a click opens it. */
  ticketNumber: z.number().int().positive().nullable().optional(),
});
export type ShownNotification = z.infer<typeof ShownNotification>;

export const DeepLink = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ticket'), number: z.number().int().positive() }),
  z.object({ kind: z.literal('alert'), id: Id }),
]);
export type DeepLink = z.infer<typeof DeepLink>;

export const Notice = z.object({ level: z.enum(['info', 'warning', 'error']), code: z.string(), message: z.string() });
export type Notice = z.infer<typeof Notice>;

/** Where sign-in tokens are kept, shown in Settings for as long as it holds (not a dismissible toast). */
export const SecretStorageStatus = z.object({
  kind: z.enum(['keychain', 'encrypted-file']),
  /** False when anyone who can read the app data folder can read the tokens (no OS keyring behind them). */
  osProtected: z.boolean(),
  description: z.string(),
  /** Why the OS keychain is not used (the fallback only). */
  fallbackReason: z.string().nullable(),
  /** A stored file that could not be read (kept, never overwritten). */
  problem: z.string().nullable(),
});
export type SecretStorageStatus = z.infer<typeof SecretStorageStatus>;
