import { z } from 'zod';
import { AttachmentMeta, AttachmentUploads } from './attachments';
import { Cursor, Email, Id, Timestamp } from './common';

import { PRIORITIES, Priority, SlaState, TicketStatus } from '../domain/tickets';

// Declared once in shared/domain; re-exported for the existing importers.
export { SLA_STATES, SlaState, TICKET_STATUSES, TicketStatus, TRANSITIONS } from '../domain/tickets';
export const TICKET_PRIORITIES = PRIORITIES;
export const TicketPriority = Priority;
export type TicketPriority = Priority;

export const LIMITS = {
  subject: 200,
  description: 20_000,
  comment: 20_000,
  tag: 40,
  tags: 20,
  requesterName: 120,
  search: 200,
  bulk: 500,
  /** "Select all matching": at most this many tickets in one request. */
  bulkMatching: 5000,
  viewName: 80,
} as const;

export const Tag = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(LIMITS.tag)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._:/-]*$/u, 'tags are letters, digits, space and . _ : / -');
export const Tags = z.array(Tag).max(LIMITS.tags);

export const Requester = z.object({ name: z.string().trim().min(1).max(LIMITS.requesterName), email: Email });

export const TICKET_SOURCES = ['app', 'email'] as const;

export const TicketSla = z.object({
  /** Derived when the record was produced; clients re-derive it from the due times below. */
  state: SlaState,
  firstResponseDueAt: Timestamp.nullable(),
  resolutionDueAt: Timestamp.nullable(),
  /** Warning starts when 80 % of a target has elapsed. */
  firstResponseWarnAt: Timestamp.nullable(),
  resolutionWarnAt: Timestamp.nullable(),
  firstRespondedAt: Timestamp.nullable(),
  /** Set while the clock is stopped (pending, resolved, closed). */
  pausedAt: Timestamp.nullable(),
  firstResponseBreachedAt: Timestamp.nullable(),
  resolutionBreachedAt: Timestamp.nullable(),
});

export const Ticket = z.object({
  id: Id,
  number: z.number().int(),
  queueId: Id,
  subject: z.string(),
  description: z.string(),
  requester: z.object({ name: z.string(), email: z.string() }),
  status: TicketStatus,
  priority: TicketPriority,
  assigneeId: Id.nullable(),
  tags: z.array(z.string()),
  createdBy: Id.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  resolvedAt: Timestamp.nullable(),
  closedAt: Timestamp.nullable(),
  version: z.number().int(),
  sla: TicketSla,
  /** Where it came from: created in the app (or the API) or by an email to the queue's mailbox. */
  source: z.enum(TICKET_SOURCES).default('app'),
  /** Addresses copied on public replies (from the customer's email). */
  cc: z.array(z.string()).default([]),
  /** Set when this ticket was merged into another: that ticket carries its comments and history now. */
  mergedIntoId: Id.nullable().default(null),
  /** Files that came with the ticket (the form or the first email); comments list their own. */
  attachments: z.array(AttachmentMeta).default([]),
});
export type Ticket = z.infer<typeof Ticket>;

export const CreateTicketRequest = z.object({
  queueId: Id,
  subject: z.string().trim().min(1).max(LIMITS.subject),
  description: z.string().max(LIMITS.description).default(''),
  requester: Requester,
  priority: TicketPriority.default('medium'),
  assigneeId: Id.nullable().default(null),
  tags: Tags.default([]),
  attachments: AttachmentUploads,
});
export type CreateTicketRequest = z.infer<typeof CreateTicketRequest>;

export const TicketChanges = z.object({
  queueId: Id,
  subject: z.string().trim().min(1).max(LIMITS.subject),
  description: z.string().max(LIMITS.description),
  status: TicketStatus,
  priority: TicketPriority,
  assigneeId: Id.nullable(),
  tags: Tags,
});
export type TicketChanges = Partial<z.infer<typeof TicketChanges>>;

/** The version the edit is based on comes in `If-Match` or here. */
export const UpdateTicketRequest = TicketChanges.partial().extend({ version: z.number().int().min(1).optional() });
export type UpdateTicketRequest = z.infer<typeof UpdateTicketRequest>;

export const COMMENT_VISIBILITIES = ['public', 'internal'] as const;
/** queued → sending → sent; a failed attempt is retrying until the attempts run out, then failed. */
export const DELIVERY_STATES = ['queued', 'sending', 'sent', 'retrying', 'failed'] as const;
export const DeliveryState = z.enum(DELIVERY_STATES);
export type DeliveryState = z.infer<typeof DeliveryState>;
export const CommentDelivery = z.object({
  state: DeliveryState,
  to: z.array(z.string()),
  attempts: z.number().int(),
  /** The SMTP server's answer to the last failed attempt. */
  error: z.string().nullable(),
  messageId: z.string(),
  sentAt: Timestamp.nullable(),
  nextAttemptAt: Timestamp.nullable(),
});
export type CommentDelivery = z.infer<typeof CommentDelivery>;
/** Why an emailed comment needs a look: the MIME did not parse (kept raw), too large, an auto-reply. */
export const COMMENT_FLAGS = ['malformed', 'oversized', 'auto'] as const;
export const Comment = z.object({
  id: Id,
  ticketId: Id,
  authorId: Id.nullable(),
  visibility: z.enum(COMMENT_VISIBILITIES),
  body: z.string(),
  createdAt: Timestamp,
  source: z.enum(TICKET_SOURCES).default('app'),
  /** The sender's address of a comment that came by email. */
  authorEmail: z.string().nullable().default(null),
  /** Sanitized HTML of an emailed comment (no scripts, handlers, styles or remote content). */
  html: z.string().nullable().default(null),
  flags: z.array(z.enum(COMMENT_FLAGS)).default([]),
  /** A public reply's email to the requester; null for notes and for comments that came in by email. */
  delivery: CommentDelivery.nullable().default(null),
  attachments: z.array(AttachmentMeta).default([]),
});
export type Comment = z.infer<typeof Comment>;

export const MergeTicketRequest = z.object({ intoId: Id });
export const RequesterQuery = z.object({ q: z.string().trim().max(LIMITS.search).default(''), limit: z.coerce.number().int().min(1).max(50).default(10) });
export const CommentParams = z.object({ id: Id, commentId: Id });

export const CreateCommentRequest = z.object({
  body: z.string().trim().min(1).max(LIMITS.comment),
  visibility: z.enum(COMMENT_VISIBILITIES).default('public'),
  attachments: AttachmentUploads,
});

export const TicketEvent = z.object({
  id: z.number().int(),
  ticketId: Id,
  actorId: Id.nullable(),
  kind: z.enum(['created', 'changed', 'commented', 'sla_breached', 'merged', 'emailed']),
  field: z.string().nullable(),
  from: z.unknown(),
  to: z.unknown(),
  at: Timestamp,
});
export type TicketEvent = z.infer<typeof TicketEvent>;

export const TICKET_SORTS = ['updated', 'created', 'priority', 'due', 'relevance'] as const;
export const TicketSort = z.enum(TICKET_SORTS);
export type TicketSort = z.infer<typeof TicketSort>;

const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .max(200)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(item).min(1).max(10));

/** A ticket filter; saved views store exactly this. */
export const TicketFilter = z.object({
  queue: Id.optional(),
  status: z.array(TicketStatus).max(5).optional(),
  priority: z.array(TicketPriority).max(4).optional(),
  /** A user id, `me` or `unassigned`. */
  assignee: Id.optional(),
  tag: Tag.optional(),
  sla: z.array(SlaState).max(3).optional(),
  q: z.string().max(LIMITS.search).optional(),
});
export type TicketFilter = z.infer<typeof TicketFilter>;

export const TicketListQuery = z.object({
  queue: Id.optional(),
  status: csv(TicketStatus).optional(),
  priority: csv(TicketPriority).optional(),
  assignee: Id.optional(),
  tag: Tag.optional(),
  sla: csv(SlaState).optional(),
  q: z.string().max(LIMITS.search).optional(),
  view: Id.optional(),
  sort: TicketSort.optional(),
  cursor: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TicketListQuery = z.infer<typeof TicketListQuery>;

export const TicketPage = z.object({ items: z.array(Ticket), nextCursor: z.string().nullable() });
export type TicketPage = z.infer<typeof TicketPage>;

export const BulkAction = z.union([
  z.object({ assign: Id.nullable() }).strict(),
  z.object({ status: TicketStatus }).strict(),
  z.object({ priority: TicketPriority }).strict(),
  z.object({ addTag: Tag }).strict(),
]);
export type BulkAction = z.infer<typeof BulkAction>;

/**
 * Which tickets a bulk action applies to: listed ids (optionally with the version each was seen
 * at: a ticket changed since answers 409), or every ticket matching a filter / saved view on the
 * server ("select all N matching"), never only the rows a client has loaded.
 */
export const BulkRequest = z
  .object({
    ids: z.array(Id).min(1).max(LIMITS.bulk).optional(),
    versions: z.record(Id, z.number().int().min(1)).optional(),
    filter: TicketFilter.optional(),
    view: Id.optional(),
    action: BulkAction,
    /** Only count what would be changed (the confirmation's N); nothing is written. */
    preview: z.boolean().default(false),
  })
  .refine((r) => (r.ids ? 1 : 0) + (r.filter || r.view ? 1 : 0) === 1, 'send either ids or a filter/view');
export type BulkRequest = z.infer<typeof BulkRequest>;
export const BulkItemResult = z.object({ id: Id, number: z.number().int().optional(), ok: z.boolean(), status: z.number().int(), error: z.string().optional(), message: z.string().optional(), ticket: Ticket.optional() });
export const BulkResult = z.object({
  /** How many tickets the request named or matched (visible to the caller). */
  matched: z.number().int().default(0),
  preview: z.boolean().default(false),
  results: z.array(BulkItemResult),
});
export type BulkResult = z.infer<typeof BulkResult>;

export const SlaPolicy = z.object({
  priority: TicketPriority,
  firstResponseMinutes: z.number().int(),
  resolutionMinutes: z.number().int(),
  updatedAt: Timestamp.nullable(),
});
export type SlaPolicy = z.infer<typeof SlaPolicy>;
export const UpdateSlaPolicyRequest = z.object({
  firstResponseMinutes: z.number().int().min(1).max(60 * 24 * 90),
  resolutionMinutes: z.number().int().min(1).max(60 * 24 * 365),
});
export const PriorityParams = z.object({ priority: TicketPriority });

export const SavedView = z.object({
  id: Id,
  name: z.string(),
  builtin: z.boolean(),
  filter: TicketFilter,
  sort: TicketSort.nullable(),
  /** Shared with the team: every agent sees it, only its owner changes it. */
  shared: z.boolean().default(false),
  /** Null for the built-ins. */
  ownerId: Id.nullable().default(null),
  ownerName: z.string().nullable().default(null),
  createdAt: Timestamp.nullable(),
  updatedAt: Timestamp.nullable().default(null),
});
export type SavedView = z.infer<typeof SavedView>;
const ViewFields = z.object({
  name: z.string().trim().min(1).max(LIMITS.viewName),
  filter: TicketFilter,
  sort: TicketSort.nullable().default(null),
  shared: z.boolean().default(false),
});
/** A client may choose the id (a UUID) so a view made offline keeps it once the server has it. */
export const CreateSavedViewRequest = ViewFields.extend({ id: z.string().uuid().optional() });
export type CreateSavedViewRequest = z.infer<typeof CreateSavedViewRequest>;
export const UpdateSavedViewRequest = z
  .object({ name: ViewFields.shape.name, filter: TicketFilter, sort: TicketSort.nullable(), shared: z.boolean() })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type UpdateSavedViewRequest = z.infer<typeof UpdateSavedViewRequest>;
