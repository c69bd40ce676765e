import { z } from 'zod';
import { Alert, CommentEmail, Incident, Job, PRIORITIES, Queue, Runbook, SlaState, TicketStatus, Priority, UserRef, type SavedView, type Silence, type TicketFilter } from '../../../shared/ipc';
import { fastCommentRow, fastTicketRow } from './fast-records';
import type { TicketFilter as ServerTicketFilter, TicketSort as ServerTicketSort } from '../../../shared/api/tickets';

/**
 * Server records as they arrive through delta sync or the REST API, parsed leniently into what
 * the cache stores. Unknown fields are ignored; the fields the desktop needs are required.
 */
const num = z.coerce.number();
// null first: the coercing number would turn a null due time into 0 (1970).
const optTs = z.union([z.null(), num]).optional().transform((v) => v ?? null);
const str = z.string();

export const ServerTicket = z
  .object({
    id: str,
    number: num.int(),
    subject: str,
    description: str.nullish().transform((v) => v ?? ''),
    status: TicketStatus,
    priority: Priority,
    queueId: str.nullish().transform((v) => v ?? null),
    requester: z
      .union([str, z.object({ email: str.optional(), name: str.optional() }).passthrough()])
      .nullish()
      .transform((v) => (v == null ? { name: '', email: '' } : typeof v === 'string' ? { name: v, email: v.includes('@') ? v : '' } : { name: v.name ?? v.email ?? '', email: v.email ?? '' })),
    assigneeId: str.nullish().transform((v) => v ?? null),
    tags: z.array(str).nullish().transform((v) => v ?? []),
    createdAt: num,
    updatedAt: num,
    firstResponseDueAt: optTs,
    resolutionDueAt: optTs,
    slaState: SlaState.optional(),
    sla: z.object({ state: SlaState.optional(), firstResponseDueAt: optTs, resolutionDueAt: optTs }).passthrough().nullish(),
    version: num.int().default(0),
    attachments: z.array(z.object({ id: str, filename: str, contentType: str, size: num.int() })).nullish(),
  })
  .passthrough();
export type ServerTicket = z.infer<typeof ServerTicket>;

export interface TicketRow {
  id: string;
  number: number;
  subject: string;
  description: string;
  status: string;
  priority: string;
  priority_rank: number;
  queue_id: string | null;
  requester: string;
  requester_email: string;
  assignee_id: string | null;
  tags: string;
  created_at: number;
  updated_at: number;
  first_response_due_at: number | null;
  resolution_due_at: number | null;
  sla_state: string;
  version: number;
  pending: number;
  conflict: number;
  /** JSON Attachment[] (cache migration 7). */
  attachments?: string | null;
}

export function ticketRowFromServer(data: unknown): TicketRow {
  return fastTicketRow(data) ?? schemaTicketRow(data);
}

/** The lenient mapping through the schema, for every shape (fast-records.ts takes the common one). */
export function schemaTicketRow(data: unknown): TicketRow {
  const t = ServerTicket.parse(data);
  return {
    id: t.id,
    number: t.number,
    subject: t.subject,
    description: t.description,
    status: t.status,
    priority: t.priority,
    priority_rank: PRIORITIES.indexOf(t.priority),
    queue_id: t.queueId,
    requester: t.requester.name,
    requester_email: t.requester.email,
    assignee_id: t.assigneeId,
    tags: JSON.stringify(t.tags),
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    first_response_due_at: t.firstResponseDueAt ?? t.sla?.firstResponseDueAt ?? null,
    resolution_due_at: t.resolutionDueAt ?? t.sla?.resolutionDueAt ?? null,
    sla_state: t.slaState ?? t.sla?.state ?? 'none',
    version: t.version,
    pending: 0,
    conflict: 0,
    attachments: t.attachments?.length ? JSON.stringify(t.attachments) : null,
  };
}

export const ServerComment = z
  .object({
    id: str,
    ticketId: str,
    authorId: str.nullish().transform((v) => v ?? null),
    authorName: str.nullish(),
    author: z.object({ name: str.optional(), email: str.optional() }).passthrough().nullish(),
    body: str,
    internal: z.boolean().optional(),
    kind: z.enum(['reply', 'note', 'public', 'internal']).optional(),
    visibility: z.enum(['public', 'internal']).optional(),
    createdAt: num,
    attachments: z.array(z.object({ id: str, filename: str, contentType: str, size: num.int() })).nullish(),
  })
  .passthrough();

export interface CommentRow {
  id: string;
  ticket_id: string;
  author_id: string | null;
  author_name: string;
  body: string;
  internal: number;
  created_at: number;
  pending: number;
  /** JSON CommentEmail (cache migration 5), null for comments without email facts. */
  email?: string | null;
  /** JSON Attachment[] (cache migration 7). */
  attachments?: string | null;
}

export function commentRowFromServer(data: unknown): CommentRow {
  return fastCommentRow(data) ?? schemaCommentRow(data);
}

export function schemaCommentRow(data: unknown): CommentRow {
  const c = ServerComment.parse(data);
  const internal = c.internal ?? (c.kind === 'note' || c.kind === 'internal' || c.visibility === 'internal');
  return {
    id: c.id,
    ticket_id: c.ticketId,
    author_id: c.authorId,
    author_name: c.authorName ?? c.author?.name ?? c.author?.email ?? '',
    body: c.body,
    internal: internal ? 1 : 0,
    created_at: c.createdAt,
    pending: 0,
    email: emailFacts(c),
    attachments: c.attachments?.length ? JSON.stringify(c.attachments) : null,
  };
}

/** The email side of a server comment (source, sender, sanitized HTML, flags, delivery), as stored in the cache. */
function emailFacts(c: z.infer<typeof ServerComment>): string | null {
  const parsed = CommentEmail.safeParse({ source: c.source, authorEmail: c.authorEmail, html: c.html, flags: c.flags, delivery: c.delivery });
  if (!parsed.success) return null;
  const e = parsed.data;
  return e.source === 'app' && !e.delivery && e.flags.length === 0 ? null : JSON.stringify(e);
}

export const ServerTicketEvent = z
  .object({
    id: z.union([str, num]).transform(String),
    ticketId: str,
    at: num.optional(),
    createdAt: num.optional(),
    actorName: str.nullish(),
    actorId: str.nullish(),
    actor: z.object({ name: str.optional(), email: str.nullish() }).passthrough().nullish(),
    field: str.nullish(),
    kind: str.optional(),
    type: str.optional(),
    from: z.unknown().optional(),
    to: z.unknown().optional(),
  })
  .passthrough();

export function ticketEventRowFromServer(data: unknown) {
  const e = ServerTicketEvent.parse(data);
  return {
    id: e.id,
    ticket_id: e.ticketId,
    at: e.at ?? e.createdAt ?? 0,
    actor_name: e.actorName ?? e.actor?.name ?? e.actor?.email ?? null,
    actor_id: e.actorId ?? null,
    field: e.field ?? e.kind ?? e.type ?? 'change',
    from_value: JSON.stringify(e.from ?? null),
    to_value: JSON.stringify(e.to ?? null),
  };
}

const lenient = <T extends z.ZodTypeAny>(schema: T) => (data: unknown) => schema.parse(data) as z.output<T>;
export const parseQueue = lenient(Queue.extend({ description: str.nullish().transform((v) => v ?? null) }));
export const parseUser = lenient(UserRef.extend({ role: UserRef.shape.role.catch('agent') }));
/** The server's alert (shared/api/alerts.ts) → the desktop's view. */
export function parseAlert(data: unknown): Alert {
  const a = z
    .object({
      id: str,
      fingerprint: str.default(''),
      name: str.optional(),
      title: str.optional(),
      summary: str.nullish(),
      description: str.nullish(),
      severity: Alert.shape.severity,
      status: Alert.shape.status,
      source: str.nullish(),
      labels: z.record(str, str).nullish(),
      startsAt: num.optional(),
      firstSeenAt: num.optional(),
      lastSeenAt: num,
      count: num.int().default(1),
      acknowledgedBy: str.nullish(),
      acknowledgedAt: optTs,
      resolvedAt: optTs,
      silenced: z.boolean().optional(),
      incidentId: str.nullish(),
      ownerName: str.nullish(),
    })
    .passthrough()
    .parse(data);
  return {
    id: a.id,
    fingerprint: a.fingerprint,
    title: a.title ?? a.summary ?? a.name ?? a.id,
    description: a.description ?? (a.summary && a.name && a.summary !== a.name ? a.name : ''),
    severity: a.severity,
    status: a.status === 'firing' && a.silenced ? 'silenced' : a.status,
    source: a.source ?? '',
    labels: a.labels ?? {},
    firstSeenAt: a.firstSeenAt ?? a.startsAt ?? a.lastSeenAt,
    lastSeenAt: a.lastSeenAt,
    count: a.count,
    acknowledgedBy: a.acknowledgedBy ?? null,
    acknowledgedAt: a.acknowledgedAt,
    resolvedAt: a.resolvedAt,
    incidentId: a.incidentId ?? null,
    owner: a.ownerName ?? null,
    pending: false,
  };
}
export function parseSilence(data: unknown): Silence {
  const s = z
    .object({
      id: str,
      matchers: z.array(z.object({ name: str.optional(), label: str.optional(), value: str, isRegex: z.boolean().optional(), regex: z.boolean().optional() }).passthrough()),
      startsAt: num,
      endsAt: num,
      comment: str.default(''),
      createdBy: str.nullish(),
    })
    .passthrough()
    .parse(data);
  return {
    id: s.id,
    matchers: s.matchers.map((m) => ({ label: m.label ?? m.name ?? '', value: m.value, regex: m.regex ?? m.isRegex ?? false })),
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    comment: s.comment,
    createdBy: s.createdBy ?? null,
  };
}
export const parseIncident = lenient(Incident);
export const parseRunbook = lenient(Runbook);
export const parseJob = lenient(Job.extend({ requestedBy: str.nullish().transform((v) => v ?? null) }));

const SORTS: Record<string, SavedView['sort']> = {
  updated: { field: 'updatedAt', dir: 'desc' },
  created: { field: 'createdAt', dir: 'desc' },
  priority: { field: 'priority', dir: 'desc' },
  due: { field: 'slaDue', dir: 'asc' },
  relevance: { field: 'updatedAt', dir: 'desc' },
};

/** The server's saved view (shared/api/tickets SavedView) → the desktop's filter vocabulary. */
export function savedViewFromServer(data: unknown): SavedView & { ownerId: string | null } {
  const v = z
    .object({
      id: str,
      name: str,
      builtin: z.boolean().optional(),
      filter: z
        .object({ queue: str.optional(), status: z.array(TicketStatus).optional(), priority: z.array(Priority).optional(), assignee: str.optional(), tag: str.optional(), sla: z.array(str).optional(), q: str.optional() })
        .passthrough()
        .default({}),
      sort: str.nullish(),
      shared: z.boolean().optional(),
      ownerId: str.nullish(),
      ownerName: str.nullish(),
    })
    .passthrough()
    .parse(data);
  const f = v.filter;
  return {
    id: v.id,
    name: v.name,
    builtIn: v.builtin ?? false,
    filter: {
      ...(f.queue && { queueId: f.queue }),
      ...(f.status && { status: f.status }),
      ...(f.priority && { priority: f.priority }),
      ...(f.assignee && { assignee: f.assignee }),
      ...(f.tag && { tag: f.tag }),
      ...(f.sla?.some((x) => x === 'warning' || x === 'breached') && { breaching: true }),
      ...(f.q && { text: f.q }),
    },
    sort: SORTS[v.sort ?? 'updated'] ?? SORTS.updated!,
    shared: v.shared ?? false,
    ownerId: v.ownerId ?? null,
    ownerName: v.ownerName ?? null,
    mine: true,
    pending: false,
  };
}

/** The desktop's filter → the server's (GET /tickets, /tickets/bulk, saved views): the inverse of the above. */
export function serverFilter(f: TicketFilter): ServerTicketFilter {
  return {
    ...(f.queueId && { queue: f.queueId }),
    ...(f.status?.length && { status: f.status }),
    ...(f.priority?.length && { priority: f.priority }),
    ...(f.assignee && { assignee: f.assignee }),
    ...(f.tag && { tag: f.tag }),
    ...(f.breaching && { sla: ['warning', 'breached'] as const }),
    ...(f.text?.trim() && { q: f.text.trim() }),
  } as ServerTicketFilter;
}

/** The desktop's sort → the server's nearest one. */
export function serverSort(s: SavedView['sort']): ServerTicketSort {
  if (s.field === 'createdAt') return 'created';
  if (s.field === 'priority') return 'priority';
  if (s.field === 'slaDue') return 'due';
  return 'updated';
}
