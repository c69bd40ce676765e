import { z } from 'zod';

export const TICKET_STATUSES = ['new', 'open', 'pending', 'resolved', 'closed'] as const;
export const TicketStatus = z.enum(TICKET_STATUSES);
export type TicketStatus = z.infer<typeof TicketStatus>;

/** The statuses of a ticket still being worked on. */
export const OPEN_TICKET_STATUSES = ['new', 'open', 'pending'] as const satisfies readonly TicketStatus[];

/** Which status may follow which: reopen is allowed from resolved; closed is final. */
export const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['open', 'pending', 'resolved', 'closed'],
  open: ['pending', 'resolved', 'closed'],
  pending: ['open', 'resolved', 'closed'],
  resolved: ['open', 'closed'],
  closed: [],
};

/** Ticket priorities, lowest first (the order is the sort rank). */
export const PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export const Priority = z.enum(PRIORITIES);
export type Priority = z.infer<typeof Priority>;

/** What the server's SLA clock says of a ticket. */
export const SLA_STATES = ['ok', 'warning', 'breached'] as const;
export const SlaState = z.enum(SLA_STATES);
export type SlaState = z.infer<typeof SlaState>;

/**
 * The SLA states a cached ticket may show: the server's, a clock the server reports paused or
 * met, and `none` for a ticket without one yet (created offline).
 */
export const CACHED_SLA_STATES = [...SLA_STATES, 'paused', 'met', 'none'] as const;
export const CachedSlaState = z.enum(CACHED_SLA_STATES);
export type CachedSlaState = z.infer<typeof CachedSlaState>;
