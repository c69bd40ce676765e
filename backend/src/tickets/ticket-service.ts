import type { Kysely } from 'kysely';
import type { LiveEvent } from '../../../shared/api/events';
import {
  TRANSITIONS,
  type Comment,
  type CreateTicketRequest,
  type Ticket,
  type TicketChanges,
  type TicketPriority,
  type TicketStatus,
} from '../../../shared/api/tickets';
import type { AttachmentUpload } from '../../../shared/api/attachments';
import type { AttachmentStore, PreparedFile } from '../attachments/attachment-store';
import type { Principal } from '../auth/auth-service';
import type { Database } from '../platform/db/schema';
import { AppError, notFound } from '../platform/http/errors';
import type { Clock } from '../platform/clock';
import { uuid } from '../platform/ids';
import type { EventHub } from '../platform/realtime/event-hub';
import type { QueueAccess } from '../queues/queue-access';
import type { TicketSearchIndex } from '../search/fts';
import { SlaClock, type SlaFields } from '../sla/sla-clock';
import { rearmedWarnings } from '../sla/sla-recompute';
import type { SlaPolicies } from '../sla/sla-policies';
import type { Audience, ChangeFeed } from '../sync/change-feed';
import { PRIORITY_RANK, TICKET_COLUMNS, toComment, toTicket, type CommentRow, type OutboundMailRow, type TicketRow } from './ticket-model';

/** Who writes: a signed-in user, or the system (the mail fetcher) with no user id. */
export type Actor = { userId: string | null; email: string | null; role: Principal['role'] | 'system' };
export const SYSTEM_ACTOR: Actor = { userId: null, email: null, role: 'system' };

/** What the email channel adds inside a ticket write's transaction (mail/ticket-mail.ts). */
export interface TicketMailHooks {
  /** A public reply by an agent: queue its email; answers the delivery shown on the comment. */
  onPublicReply(trx: Kysely<Database>, ticket: TicketRow, comment: CommentRow): Promise<OutboundMailRow | null>;
  /** After commit: something was queued, send it now. */
  kick(): void;
}

export interface CreateOptions {
  source?: 'app' | 'email';
  /** Files already checked (the mail fetcher's); the request's own uploads are checked here. */
  files?: PreparedFile[];
  cc?: string[];
  /** Runs inside the ticket's transaction (the mail fetcher records the message there). */
  within?: (trx: Kysely<Database>, ticket: Ticket) => Promise<void>;
  /** Write inside the caller's transaction instead of a new one. */
  outer?: OuterTransaction;
}

/**
 * The caller's transaction (the mail fetcher commits a batch of messages in one): the write runs
 * in it, and what must follow the commit (live events, the mailer's kick) is handed to `afterCommit`
 * for the caller to run once it committed. A write that throws leaves the transaction to be rolled back.
 */
export interface OuterTransaction {
  trx: Kysely<Database>;
  afterCommit: (fn: () => void) => void;
}

export interface CommentInput {
  body: string;
  visibility: 'public' | 'internal';
  /** Uploads from the app (checked here) or files the mail fetcher checked. */
  attachments?: AttachmentUpload[];
  files?: PreparedFile[];
  /** By email from the requester: no outbound mail, no first-response stop, reopens a resolved or pending ticket. */
  fromRequester?: { email: string; html: string | null; flags: string[] };
}

const eventActor = (a: Actor) => (a.userId ? { id: a.userId, email: a.email } : null);

interface Published {
  event: LiveEvent;
  audience: Audience;
}

const ticketAudience = (queueId: string, prevQueueId?: string | null): Audience => ({ kind: 'queue', queueId, prevQueueId: prevQueueId ?? null });

/**
 * Ticket writes. Each runs in one transaction that takes the feed lock first (so writers never
 * deadlock on PostgreSQL), writes the row, its history, its search document and its change-feed
 * entry; live events go out after commit.
 */
export class TicketService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly access: QueueAccess,
    private readonly search: TicketSearchIndex,
    private readonly sla: SlaPolicies,
    private readonly changes: ChangeFeed,
    private readonly events: EventHub,
    private readonly clock: Clock,
    private readonly mail: TicketMailHooks | null = null,
    private readonly files: AttachmentStore | null = null,
  ) {}

  /** The files of a write: already prepared ones, plus uploads checked now (before any transaction). */
  private async filesOf(uploads: AttachmentUpload[] | undefined, prepared: PreparedFile[] | undefined): Promise<PreparedFile[]> {
    const all = [...(prepared ?? [])];
    if (uploads?.length) {
      if (!this.files) throw new AppError('unprocessable', 'Attachments are not enabled on this server', { field: 'attachments' });
      all.push(...(await this.files.prepare(uploads)));
    }
    return all;
  }

  /** Stores a write's files and lists them on its ticket or comment row (inside its transaction). */
  private async storeFiles(trx: Kysely<Database>, ticketId: string, commentId: string | null, files: PreparedFile[], actor: Actor, source: 'app' | 'email'): Promise<string> {
    if (!files.length || !this.files) return '[]';
    const metas = JSON.stringify(await this.files.insert(trx, ticketId, commentId, files, { userId: actor.userId, source }));
    if (commentId) await trx.updateTable('ticket_comments').set({ attachments: metas }).where('id', '=', commentId).execute();
    else await trx.updateTable('tickets').set({ attachments: metas }).where('id', '=', ticketId).execute();
    return metas;
  }

  async create(actor: Actor, input: CreateTicketRequest, options: CreateOptions = {}): Promise<Ticket> {
    const files = await this.filesOf(input.attachments, options.files);
    const now = this.clock.now();
    const out: Published[] = [];
    const ticket = await this.transact(options.outer, async (trx) => {
      await this.changes.lock(trx);
      await this.assertQueue(trx, input.queueId);
      if (actor.role === 'agent' && !(await this.access.memberships(actor.userId!, trx)).includes(input.queueId)) {
        throw new AppError('forbidden', 'You can only create tickets in queues you belong to');
      }
      if (input.assigneeId) await this.assertAssignee(trx, input.assigneeId, input.queueId);
      const counter = await trx
        .updateTable('counters')
        .set((eb) => ({ value: eb('value', '+', 1) }))
        .where('name', '=', 'ticket_number')
        .returning('value')
        .executeTakeFirstOrThrow();
      const tags = [...new Set(input.tags)];
      const row: TicketRow = {
        id: uuid(),
        number: Number(counter.value),
        queue_id: input.queueId,
        subject: input.subject,
        description: input.description,
        requester_name: input.requester.name,
        requester_email: input.requester.email,
        status: 'new',
        priority: input.priority,
        priority_rank: PRIORITY_RANK[input.priority],
        assignee_id: input.assigneeId,
        tags: JSON.stringify(tags),
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
        resolved_at: null,
        closed_at: null,
        version: 1,
        ...SlaClock.start(now, await this.sla.targets(input.priority, input.queueId, trx)),
        source: options.source ?? 'app',
        cc: JSON.stringify(options.cc ?? []),
        merged_into_id: null,
        attachments: '[]',
      };
      await trx.insertInto('tickets').values(row).execute();
      row.attachments = await this.storeFiles(trx, row.id, null, files, actor, options.source ?? 'app');
      if (tags.length) await trx.insertInto('ticket_tags').values(tags.map((tag) => ({ ticket_id: row.id, tag }))).execute();
      await this.search.index(trx, row);
      await trx
        .insertInto('ticket_events')
        .values({ ticket_id: row.id, actor_id: actor.userId, kind: 'created', field: null, old_value: null, new_value: JSON.stringify({ queueId: row.queue_id, priority: row.priority, status: row.status }), at: now })
        .execute();
      const ticket = toTicket(row, now);
      const audience = ticketAudience(row.queue_id);
      const seq = await this.changes.record(trx, { entity: 'ticket', id: row.id, op: 'upsert', audience, data: ticket, actorId: actor.userId });
      out.push({ event: { type: 'ticket.created', seq, actor: eventActor(actor), data: ticket, at: now }, audience });
      await options.within?.(trx, ticket);
      return ticket;
    });
    this.afterCommit(options.outer, () => this.publish(out));
    return ticket;
  }

  /**
   * An edit based on `expectedVersion` (required from clients; bulk actions may pass undefined).
   * `within` runs in the edit's transaction when something changed (the bulk action's audit).
   */
  async update(
    actor: Actor,
    id: string,
    changes: TicketChanges | ((row: TicketRow) => TicketChanges),
    expectedVersion: number | undefined,
    within?: (trx: Kysely<Database>, ticket: Ticket, changed: string[]) => Promise<void>,
  ): Promise<Ticket> {
    const out: Published[] = [];
    const ticket = await this.db.transaction().execute(async (trx) => {
      await this.changes.lock(trx);
      const before = await this.visibleRowForWrite(trx, actor, id);
      const now = this.clock.now();
      if (expectedVersion !== undefined && expectedVersion !== before.version) {
        throw new AppError('version_conflict', `Ticket changed since version ${expectedVersion}; it is now at version ${before.version}`, {
          current: toTicket(before, now),
        });
      }
      const patch = typeof changes === 'function' ? changes(before) : changes;
      const next: TicketRow = { ...before };
      const history: { field: string; from: unknown; to: unknown }[] = [];
      const set = <K extends keyof TicketRow>(field: string, key: K, value: TicketRow[K], shown: unknown = value, was: unknown = before[key]) => {
        if (before[key] === value) return;
        next[key] = value;
        history.push({ field, from: was, to: shown });
      };

      if (patch.queueId !== undefined && patch.queueId !== before.queue_id) {
        await this.assertQueue(trx, patch.queueId);
        set('queueId', 'queue_id', patch.queueId);
        // An assignee who cannot work the new queue is unassigned (unless this edit names one).
        if (patch.assigneeId === undefined && before.assignee_id && !(await this.assigneeAllowed(trx, before.assignee_id, patch.queueId))) {
          set('assigneeId', 'assignee_id', null);
        }
      }
      if (patch.assigneeId !== undefined && patch.assigneeId !== before.assignee_id) {
        if (patch.assigneeId !== null) await this.assertAssignee(trx, patch.assigneeId, next.queue_id);
        set('assigneeId', 'assignee_id', patch.assigneeId);
      }
      if (patch.subject !== undefined) set('subject', 'subject', patch.subject);
      if (patch.description !== undefined) set('description', 'description', patch.description);
      let sla: SlaFields = next;
      if (patch.priority !== undefined && patch.priority !== before.priority) {
        set('priority', 'priority', patch.priority);
        next.priority_rank = PRIORITY_RANK[patch.priority];
        sla = SlaClock.onPriority(sla, await this.sla.targets(patch.priority as TicketPriority, next.queue_id, trx), now);
      }
      if (patch.status !== undefined && patch.status !== before.status) {
        const from = before.status as TicketStatus;
        const allowed = TRANSITIONS[from];
        if (!allowed.includes(patch.status)) {
          throw new AppError(
            'unprocessable',
            allowed.length
              ? `Cannot move a ${from} ticket to ${patch.status}; allowed: ${allowed.join(', ')}`
              : `Cannot move a ${from} ticket to ${patch.status}; ${from} is final`,
            { from, to: patch.status, allowed },
          );
        }
        set('status', 'status', patch.status);
        sla = SlaClock.onStatus(sla, from, patch.status, now, await this.sla.timeFor(next.queue_id, trx));
      }
      let tagsChanged = false;
      if (patch.tags !== undefined) {
        const tags = [...new Set(patch.tags)];
        const old = JSON.parse(before.tags) as string[];
        if (JSON.stringify(tags) !== JSON.stringify(old)) {
          set('tags', 'tags', JSON.stringify(tags), tags, old);
          tagsChanged = true;
        }
      }
      if (history.length === 0) return toTicket(before, now);

      Object.assign(next, sla, { version: before.version + 1, updated_at: now });
      // After the SLA fields: `sla` started as a copy of the row, so assigning it would undo these.
      if (patch.status !== undefined && patch.status !== before.status) {
        if (patch.status === 'resolved') next.resolved_at = now;
        if (patch.status === 'closed') next.closed_at = now;
        if (patch.status === 'open' && before.status === 'resolved') next.resolved_at = null;
      }
      const { id: _id, number: _n, ...values } = next;
      await trx.updateTable('tickets').set({ ...values, ...rearmedWarnings(before, next) }).where('id', '=', id).execute();
      if (tagsChanged) {
        await trx.deleteFrom('ticket_tags').where('ticket_id', '=', id).execute();
        const tags = JSON.parse(next.tags) as string[];
        if (tags.length) await trx.insertInto('ticket_tags').values(tags.map((tag) => ({ ticket_id: id, tag }))).execute();
      }
      if (next.subject !== before.subject || next.description !== before.description) await this.search.index(trx, next);
      await trx
        .insertInto('ticket_events')
        .values(history.map((h) => ({ ticket_id: id, actor_id: actor.userId, kind: 'changed', field: h.field, old_value: JSON.stringify(h.from ?? null), new_value: JSON.stringify(h.to ?? null), at: now })))
        .execute();

      const ticket = toTicket(next, now);
      const moved = next.queue_id !== before.queue_id;
      const audience = ticketAudience(next.queue_id, moved ? before.queue_id : null);
      const seq = await this.changes.record(trx, { entity: 'ticket', id, op: 'upsert', audience, data: ticket, actorId: actor.userId });
      if (moved) {
        // Comments travel with their ticket: members of the new queue get them, the old queue's get tombstones.
        const comments = await trx.selectFrom('ticket_comments').selectAll().where('ticket_id', '=', id).orderBy('created_at').execute();
        for (const c of comments) await this.changes.record(trx, { entity: 'comment', id: c.id, op: 'upsert', audience, data: toComment(c), actorId: actor.userId });
      }
      out.push({ event: { type: 'ticket.updated', seq, actor: eventActor(actor), data: ticket, at: now }, audience });
      await within?.(trx, ticket, history.map((h) => h.field));
      return ticket;
    });
    this.publish(out);
    return ticket;
  }

  /**
   * Comments are append-only. An agent's first public reply stops the first-response timer and is
   * emailed to the requester; a reply from the requester reopens a resolved or pending ticket.
   */
  async comment(
    actor: Actor,
    ticketId: string,
    input: CommentInput,
    within?: (trx: Kysely<Database>, result: { comment: Comment; ticket: Ticket }) => Promise<void>,
    outer?: OuterTransaction,
  ): Promise<{ comment: Comment; ticket: Ticket }> {
    const out: Published[] = [];
    let queued = false;
    const files = await this.filesOf(input.attachments, input.files);
    const result = await this.transact(outer, async (trx) => {
      await this.changes.lock(trx);
      const before = await this.visibleRowForWrite(trx, actor, ticketId);
      if (before.status === 'closed') throw new AppError('unprocessable', 'This ticket is closed; reopen is not possible, open a new ticket');
      const now = this.clock.now();
      const req = input.fromRequester;
      const row: CommentRow = {
        id: uuid(), ticket_id: ticketId, author_id: actor.userId, visibility: input.visibility, body: input.body, created_at: now,
        source: req ? 'email' : 'app', author_email: req?.email ?? null, html: req?.html ?? null, flags: JSON.stringify(req?.flags ?? []), attachments: '[]',
      };
      await trx.insertInto('ticket_comments').values(row).execute();
      row.attachments = await this.storeFiles(trx, ticketId, row.id, files, actor, req ? 'email' : 'app');
      await this.search.appendComment(trx, before, input.body);
      let next: TicketRow = { ...before, updated_at: now };
      const history: { field: string; from: unknown; to: unknown }[] = [];
      if (input.visibility === 'public' && !req) next = { ...next, ...SlaClock.onPublicReply(next, now) };
      if (req && (before.status === 'resolved' || before.status === 'pending')) {
        // The customer answered: the ticket is open again and its clock runs.
        next = { ...next, ...SlaClock.onStatus(next, before.status as TicketStatus, 'open', now, await this.sla.timeFor(before.queue_id, trx)), status: 'open', resolved_at: null, version: before.version + 1 };
        history.push({ field: 'status', from: before.status, to: 'open' });
      }
      const { id: _id, number: _n, ...values } = next;
      await trx.updateTable('tickets').set({ ...values, ...rearmedWarnings(before, next) }).where('id', '=', ticketId).execute();
      await trx
        .insertInto('ticket_events')
        .values([
          { ticket_id: ticketId, actor_id: actor.userId, kind: 'commented', field: null, old_value: null, new_value: JSON.stringify({ commentId: row.id, visibility: row.visibility }), at: now },
          ...history.map((h) => ({ ticket_id: ticketId, actor_id: actor.userId, kind: 'changed', field: h.field, old_value: JSON.stringify(h.from), new_value: JSON.stringify(h.to), at: now })),
        ])
        .execute();
      const delivery = input.visibility === 'public' && !req && this.mail ? await this.mail.onPublicReply(trx, next, row) : null;
      queued = delivery !== null;
      const comment = toComment(row, delivery);
      const ticket = toTicket(next, now);
      const audience = ticketAudience(before.queue_id);
      await this.changes.record(trx, { entity: 'ticket', id: ticketId, op: 'upsert', audience, data: ticket, actorId: actor.userId });
      const seq = await this.changes.record(trx, { entity: 'comment', id: row.id, op: 'upsert', audience, data: comment, actorId: actor.userId });
      out.push({ event: { type: 'ticket.commented', seq, actor: eventActor(actor), data: { comment, ticket }, at: now }, audience });
      await within?.(trx, { comment, ticket });
      return { comment, ticket };
    });
    this.afterCommit(outer, () => {
      this.publish(out);
      if (queued) this.mail?.kick();
    });
    return result;
  }

  private transact<T>(outer: OuterTransaction | undefined, write: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    return outer ? write(outer.trx) : this.db.transaction().execute(write);
  }

  private afterCommit(outer: OuterTransaction | undefined, fn: () => void): void {
    if (outer) outer.afterCommit(fn);
    else fn();
  }

  private async visibleRowForWrite(trx: Kysely<Database>, actor: Actor, id: string): Promise<TicketRow> {
    const row = await trx.selectFrom('tickets').select(TICKET_COLUMNS).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Ticket');
    if (actor.role === 'agent' && !(await this.access.memberships(actor.userId!, trx)).includes(row.queue_id)) throw notFound('Ticket');
    return row;
  }

  private async assertQueue(trx: Kysely<Database>, queueId: string): Promise<void> {
    const q = await trx.selectFrom('queues').select('id').where('id', '=', queueId).executeTakeFirst();
    if (!q) throw new AppError('unprocessable', `Unknown queue ${queueId}`, { field: 'queueId' });
  }

  private async assigneeAllowed(trx: Kysely<Database>, userId: string, queueId: string): Promise<boolean | 'unknown'> {
    const user = await trx.selectFrom('users').select(['role', 'disabled']).where('id', '=', userId).executeTakeFirst();
    if (!user || user.disabled === 1) return 'unknown';
    if (user.role !== 'agent') return true;
    const member = await trx.selectFrom('queue_members').select('user_id').where('queue_id', '=', queueId).where('user_id', '=', userId).executeTakeFirst();
    return member !== undefined;
  }

  /** Agents must belong to the ticket's queue; oncall and admin work every queue. */
  private async assertAssignee(trx: Kysely<Database>, userId: string, queueId: string): Promise<void> {
    const allowed = await this.assigneeAllowed(trx, userId, queueId);
    if (allowed === 'unknown') throw new AppError('unprocessable', `Unknown or disabled assignee ${userId}`, { field: 'assigneeId' });
    if (!allowed) {
      const user = await trx.selectFrom('users').select('name').where('id', '=', userId).executeTakeFirst();
      throw new AppError('unprocessable', `Assignee ${user?.name ?? userId} is not a member of the ticket's queue`, { field: 'assigneeId', assigneeId: userId });
    }
  }

  private publish(out: Published[]): void {
    for (const p of out) this.events.publish(p.event, p.audience);
  }
}
