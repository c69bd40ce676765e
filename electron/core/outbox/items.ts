import { randomUUID } from 'node:crypto';
import { PRIORITIES, type AttachmentUpload, type FieldConflict, type OutboxItem, type TicketSummary } from '../../../shared/ipc';
import type { OutboxRow } from '../cache/outbox-repo';
import type { TicketRow } from '../cache/records';

export interface NewTicket {
  queueId: string;
  subject: string;
  description: string;
  priority: TicketSummary['priority'];
  requester: { name: string; email: string };
  tags: string[];
  attachments: AttachmentUpload[];
}

/** The metadata a file picked offline shows until the server stores (and sniffs) it. */
export function localAttachments(uploads: AttachmentUpload[]): string | null {
  if (!uploads.length) return null;
  return JSON.stringify(uploads.map((u, i) => ({ id: `local-${i}-${randomUUID()}`, filename: u.filename, contentType: 'application/octet-stream', size: Math.floor((u.data.length * 3) / 4) - (u.data.endsWith('==') ? 2 : u.data.endsWith('=') ? 1 : 0) })));
}

/** The cached row of a ticket created offline: pending, numbered below zero until the server numbers it. */
export function localTicketRow(id: string, number: number, input: NewTicket, now: number): TicketRow {
  return {
    id, number, subject: input.subject, description: input.description, status: 'new', priority: input.priority, priority_rank: PRIORITIES.indexOf(input.priority),
    queue_id: input.queueId, requester: input.requester.name, requester_email: input.requester.email, assignee_id: null, tags: JSON.stringify(input.tags),
    created_at: now, updated_at: now, first_response_due_at: null, resolution_due_at: null, sla_state: 'none', version: 0, pending: 1, conflict: 0,
    attachments: localAttachments(input.attachments),
  };
}

/** An outbox row as the renderer sees it. */
export function toItem(r: OutboxRow): OutboxItem {
  return {
    id: r.id,
    kind: r.kind as OutboxItem['kind'],
    targetId: r.target_id,
    summary: r.summary,
    state: r.state === 'done' ? 'pending' : r.state,
    attempts: r.attempts,
    createdAt: r.created_at,
    error: r.error,
    conflicts: JSON.parse(r.conflicts) as FieldConflict[],
  };
}

export const newKey = () => `odk-${randomUUID()}`;
export const truncate = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}…` : s);
/** How an item names its ticket: `#42`, or "New ticket" before the server numbered it. */
export const label = (t: { number: number }) => (t.number > 0 ? `#${t.number}` : 'New ticket');
