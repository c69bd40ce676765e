import { PRIORITIES, SlaState, TicketStatus } from '../../../shared/ipc';
import type { CommentRow, TicketRow } from './records';

/**
 * Server tickets and comments in the shape a current server sends them, mapped to cache rows with
 * plain type checks: a first sync maps a few hundred thousand, and walking the zod schemas of
 * records.ts was a third of its time. Any other shape (an older server's, a malformed record)
 * answers null and goes through the schemas, which map it leniently or throw a clear error.
 * fast-records.test.ts holds both to the same rows.
 */
const STATUSES = new Set<unknown>(TicketStatus.options);
const PRIORITY_RANK = new Map<unknown, number>(PRIORITIES.map((p, i) => [p, i]));
const SLA_STATES = new Set<unknown>(SlaState.options);
const COMMENT_KINDS = new Set<unknown>(['reply', 'note', 'public', 'internal']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const optStr = (v: unknown) => v == null || typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const optNum = (v: unknown) => v == null || isNum(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** The attachments list as the schema keeps it (its four fields, in order), undefined when not in shape. */
function attachmentsJson(v: unknown): string | null | undefined {
  if (v == null) return null;
  if (!Array.isArray(v)) return undefined;
  const out: { id: string; filename: string; contentType: string; size: number }[] = [];
  for (const a of v as unknown[]) {
    if (!isObj(a) || !isStr(a.id) || !isStr(a.filename) || !isStr(a.contentType) || !isInt(a.size)) return undefined;
    out.push({ id: a.id, filename: a.filename, contentType: a.contentType, size: a.size });
  }
  return out.length ? JSON.stringify(out) : null;
}

function tagsJson(v: unknown): string | undefined {
  if (v == null) return '[]';
  if (!Array.isArray(v)) return undefined;
  for (const t of v as unknown[]) if (typeof t !== 'string') return undefined;
  return JSON.stringify(v);
}

export function fastTicketRow(data: unknown): TicketRow | null {
  if (!isObj(data)) return null;
  const t = data;
  const { requester: r, sla } = t;
  const rank = PRIORITY_RANK.get(t.priority);
  if (
    !isStr(t.id) || !isInt(t.number) || !isStr(t.subject) || !optStr(t.description) || !STATUSES.has(t.status) || rank === undefined ||
    !optStr(t.queueId) || !optStr(t.assigneeId) || !isNum(t.createdAt) || !isNum(t.updatedAt) || !optNum(t.firstResponseDueAt) ||
    !optNum(t.resolutionDueAt) || !(t.slaState === undefined || SLA_STATES.has(t.slaState)) || !(t.version === undefined || isInt(t.version)) ||
    !(isObj(r) && isStr(r.name) && isStr(r.email))
  ) {
    return null;
  }
  if (sla != null && !(isObj(sla) && (sla.state === undefined || SLA_STATES.has(sla.state)) && optNum(sla.firstResponseDueAt) && optNum(sla.resolutionDueAt))) return null;
  const tags = tagsJson(t.tags);
  const attachments = attachmentsJson(t.attachments);
  if (tags === undefined || attachments === undefined) return null;
  const s = sla as { state?: string; firstResponseDueAt?: number | null; resolutionDueAt?: number | null } | null | undefined;
  return {
    id: t.id,
    number: t.number,
    subject: t.subject,
    description: (t.description as string | null | undefined) ?? '',
    status: t.status as string,
    priority: t.priority as string,
    priority_rank: rank,
    queue_id: (t.queueId as string | null | undefined) ?? null,
    requester: r.name,
    requester_email: r.email,
    assignee_id: (t.assigneeId as string | null | undefined) ?? null,
    tags,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    first_response_due_at: (t.firstResponseDueAt as number | null | undefined) ?? s?.firstResponseDueAt ?? null,
    resolution_due_at: (t.resolutionDueAt as number | null | undefined) ?? s?.resolutionDueAt ?? null,
    sla_state: (t.slaState as string | undefined) ?? s?.state ?? 'none',
    version: (t.version as number | undefined) ?? 0,
    pending: 0,
    conflict: 0,
    attachments,
  };
}

/** A comment written in the app (no email facts to keep), else null (see above). */
export function fastCommentRow(data: unknown): CommentRow | null {
  if (!isObj(data)) return null;
  const c = data;
  const flags = c.flags;
  if (
    !isStr(c.id) || !isStr(c.ticketId) || !optStr(c.authorId) || !optStr(c.authorName) || c.author != null || !isStr(c.body) ||
    !(c.internal === undefined || typeof c.internal === 'boolean') || !(c.kind === undefined || COMMENT_KINDS.has(c.kind)) ||
    !(c.visibility === undefined || c.visibility === 'public' || c.visibility === 'internal') || !isNum(c.createdAt) ||
    c.source !== 'app' || c.delivery != null || !(flags === undefined || (Array.isArray(flags) && flags.length === 0))
  ) {
    return null;
  }
  const attachments = attachmentsJson(c.attachments);
  if (attachments === undefined) return null;
  const internal = (c.internal as boolean | undefined) ?? (c.kind === 'note' || c.kind === 'internal' || c.visibility === 'internal');
  return {
    id: c.id,
    ticket_id: c.ticketId,
    author_id: (c.authorId as string | null | undefined) ?? null,
    author_name: (c.authorName as string | null | undefined) ?? '',
    body: c.body,
    internal: internal ? 1 : 0,
    created_at: c.createdAt,
    pending: 0,
    email: null,
    attachments,
  };
}
