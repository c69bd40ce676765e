import type { Generated } from 'kysely';

/** The helpdesk's tables (migration 0010_helpdesk). Timestamps are epoch ms; booleans 0/1. */
export interface QueuesTable {
  id: string;
  name: string;
  description: string;
  created_at: number;
  updated_at: number;
}

export interface QueueMembersTable {
  queue_id: string;
  user_id: string;
  added_at: number;
}

export interface CountersTable {
  name: string;
  value: number;
}

export interface TicketsTable {
  id: string;
  number: number;
  queue_id: string;
  subject: string;
  description: string;
  requester_name: string;
  requester_email: string;
  status: string;
  priority: string;
  /** low 1 … critical 4, for sorting. */
  priority_rank: number;
  assignee_id: string | null;
  /** JSON array; ticket_tags holds the same tags for filtering. */
  tags: string;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  resolved_at: number | null;
  closed_at: number | null;
  version: number;
  sla_response_ms: number;
  sla_resolution_ms: number;
  sla_paused_at: number | null;
  response_due_at: number;
  response_warn_at: number;
  resolution_due_at: number;
  resolution_warn_at: number;
  first_response_at: number | null;
  response_breached_at: number | null;
  resolution_breached_at: number | null;
  /** When the 80 % warning of each timer was announced (migration 0132). */
  response_warned_at: number | null;
  resolution_warned_at: number | null;
  /** The nearest running deadline, or DUE_NONE when no timer runs: sort key for `sort=due`. */
  due_sort: number;
  /** app | email (0050). */
  source: Generated<string>;
  /** JSON array of addresses copied on replies (0050). */
  cc: Generated<string>;
  /** Set when this ticket was merged into another (0050). */
  merged_into_id: string | null;
  /** JSON array of the ticket's own attachments' metadata (0070). */
  attachments: Generated<string>;
}

export interface TicketTagsTable {
  ticket_id: string;
  tag: string;
}

export interface TicketCommentsTable {
  id: string;
  ticket_id: string;
  author_id: string | null;
  visibility: string;
  body: string;
  created_at: number;
  /** app | email (0050). */
  source: Generated<string>;
  /** The requester's address for a comment that came by email (0050). */
  author_email: string | null;
  /** The sanitized HTML of an emailed comment (0050). */
  html: string | null;
  /** JSON array: malformed, oversized, auto (0050). */
  flags: Generated<string>;
  /** JSON array of the comment's attachments' metadata (0070). */
  attachments: Generated<string>;
}

export interface TicketEventsTable {
  id: Generated<number>;
  ticket_id: string;
  actor_id: string | null;
  kind: string;
  field: string | null;
  old_value: string | null;
  new_value: string | null;
  at: number;
}

export interface SlaPoliciesTable {
  priority: string;
  first_response_ms: number;
  resolution_ms: number;
  updated_at: number | null;
  updated_by: string | null;
}

export interface SavedViewsTable {
  id: string;
  user_id: string;
  name: string;
  filter: string;
  sort: string | null;
  /** 1: every agent sees it; only its owner changes it (migration 0130). */
  shared: number;
  created_at: number;
  updated_at: number;
}

export interface HelpdeskTables {
  queues: QueuesTable;
  queue_members: QueueMembersTable;
  counters: CountersTable;
  tickets: TicketsTable;
  ticket_tags: TicketTagsTable;
  ticket_comments: TicketCommentsTable;
  ticket_events: TicketEventsTable;
  sla_policies: SlaPoliciesTable;
  saved_views: SavedViewsTable;
}
