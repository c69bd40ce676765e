import type { Selectable } from 'kysely';
import type { Comment, CommentDelivery, Ticket, TicketEvent, TicketPriority, TicketStatus } from '../../../shared/api/tickets';
import { SlaClock } from '../sla/sla-clock';
import type { OutboundMailTable } from '../mail/tables';
import type { TicketCommentsTable, TicketEventsTable, TicketsTable } from './tables';

/** A ticket row as the services read it (TICKET_COLUMNS); the watcher's warning marks stay out of it. */
export type TicketRow = Omit<Selectable<TicketsTable>, 'response_warned_at' | 'resolution_warned_at'>;
export type CommentRow = Selectable<TicketCommentsTable>;
export type TicketEventRow = Selectable<TicketEventsTable>;
export type OutboundMailRow = Selectable<OutboundMailTable>;

export const PRIORITY_RANK: Record<TicketPriority, number> = { low: 1, medium: 2, high: 3, critical: 4 };

/** Every column of `tickets` the API reads (PostgreSQL's search_vector stays in the database). */
export const TICKET_COLUMNS = [
  'id',
  'number',
  'queue_id',
  'subject',
  'description',
  'requester_name',
  'requester_email',
  'status',
  'priority',
  'priority_rank',
  'assignee_id',
  'tags',
  'created_by',
  'created_at',
  'updated_at',
  'resolved_at',
  'closed_at',
  'version',
  'sla_response_ms',
  'sla_resolution_ms',
  'sla_paused_at',
  'response_due_at',
  'response_warn_at',
  'resolution_due_at',
  'resolution_warn_at',
  'first_response_at',
  'response_breached_at',
  'resolution_breached_at',
  'due_sort',
  'source',
  'cc',
  'merged_into_id',
  'attachments',
] as const satisfies readonly (keyof TicketsTable)[];

export function toTicket(r: TicketRow, now: number): Ticket {
  const stopped = r.status === 'resolved' || r.status === 'closed';
  return {
    id: r.id,
    number: Number(r.number),
    queueId: r.queue_id,
    subject: r.subject,
    description: r.description,
    requester: { name: r.requester_name, email: r.requester_email },
    status: r.status as TicketStatus,
    priority: r.priority as TicketPriority,
    assigneeId: r.assignee_id,
    tags: JSON.parse(r.tags) as string[],
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    resolvedAt: r.resolved_at,
    closedAt: r.closed_at,
    version: r.version,
    sla: {
      state: SlaClock.state(r, r.status, now),
      firstResponseDueAt: r.first_response_at === null && !stopped ? r.response_due_at : null,
      resolutionDueAt: stopped ? null : r.resolution_due_at,
      firstResponseWarnAt: r.first_response_at === null && !stopped ? r.response_warn_at : null,
      resolutionWarnAt: stopped ? null : r.resolution_warn_at,
      firstRespondedAt: r.first_response_at,
      pausedAt: r.sla_paused_at,
      firstResponseBreachedAt: r.response_breached_at,
      resolutionBreachedAt: r.resolution_breached_at,
    },
    source: r.source as Ticket['source'],
    cc: JSON.parse(r.cc) as string[],
    mergedIntoId: r.merged_into_id,
    attachments: JSON.parse(r.attachments) as Ticket['attachments'],
  };
}

export function toComment(r: CommentRow, delivery: OutboundMailRow | null = null): Comment {
  return {
    id: r.id,
    ticketId: r.ticket_id,
    authorId: r.author_id,
    visibility: r.visibility as Comment['visibility'],
    body: r.body,
    createdAt: Number(r.created_at),
    source: r.source as Comment['source'],
    authorEmail: r.author_email,
    html: r.html,
    flags: JSON.parse(r.flags) as Comment['flags'],
    delivery: delivery ? toDelivery(delivery) : null,
    attachments: JSON.parse(r.attachments) as Comment['attachments'],
  };
}

export function toDelivery(d: OutboundMailRow): CommentDelivery {
  return {
    state: d.state as CommentDelivery['state'],
    to: [...(JSON.parse(d.to_addresses) as string[]), ...(JSON.parse(d.cc_addresses) as string[])],
    attempts: d.attempts,
    error: d.last_error,
    messageId: d.message_id,
    sentAt: d.sent_at === null ? null : Number(d.sent_at),
    nextAttemptAt: d.next_attempt_at === null ? null : Number(d.next_attempt_at),
  };
}

export function toTicketEvent(r: TicketEventRow): TicketEvent {
  return {
    id: Number(r.id),
    ticketId: r.ticket_id,
    actorId: r.actor_id,
    kind: r.kind as TicketEvent['kind'],
    field: r.field,
    from: r.old_value === null ? null : (JSON.parse(r.old_value) as unknown),
    to: r.new_value === null ? null : (JSON.parse(r.new_value) as unknown),
    at: Number(r.at),
  };
}
