import type { Kysely } from 'kysely';
import type { LiveEvent } from '../../../shared/api/events';
import type { Ticket, TicketStatus } from '../../../shared/api/tickets';
import type { Principal } from '../auth/auth-service';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db/schema';
import { AppError, notFound } from '../platform/http/errors';
import type { EventHub } from '../platform/realtime/event-hub';
import type { QueueAccess } from '../queues/queue-access';
import type { TicketSearchIndex } from '../search/fts';
import { SlaClock } from '../sla/sla-clock';
import type { Audience, ChangeFeed } from '../sync/change-feed';
import { TICKET_COLUMNS, toComment, toTicket, type TicketRow } from './ticket-model';

type Actor = Pick<Principal, 'userId' | 'email' | 'role'>;

/**
 * Merging a duplicate into the ticket that stays: the duplicate's comments, history and email
 * thread move to the target (a later reply to either thread lands there), and the duplicate is
 * closed with `mergedIntoId` pointing at it. One transaction; both queues' viewers hear of it.
 */
export class TicketMerge {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly access: QueueAccess,
    private readonly search: TicketSearchIndex,
    private readonly changes: ChangeFeed,
    private readonly events: EventHub,
    private readonly clock: Clock,
  ) {}

  async merge(actor: Actor, sourceId: string, intoId: string): Promise<Ticket> {
    if (sourceId === intoId) throw new AppError('unprocessable', 'A ticket cannot be merged into itself', { field: 'intoId' });
    const out: { event: LiveEvent; audience: Audience }[] = [];
    const result = await this.db.transaction().execute(async (trx) => {
      await this.changes.lock(trx);
      const source = await this.visible(trx, actor, sourceId);
      const into = await this.visible(trx, actor, intoId, 'intoId');
      if (source.status === 'closed') throw new AppError('unprocessable', `#${source.number} is closed; a closed ticket cannot be merged`);
      if (into.status === 'closed') throw new AppError('unprocessable', `#${into.number} is closed; merge into an open ticket`, { field: 'intoId' });
      const now = this.clock.now();
      const moved = await trx.selectFrom('ticket_comments').selectAll().where('ticket_id', '=', source.id).orderBy('created_at').execute();
      await trx.updateTable('ticket_comments').set({ ticket_id: into.id }).where('ticket_id', '=', source.id).execute();
      await trx.updateTable('ticket_events').set({ ticket_id: into.id }).where('ticket_id', '=', source.id).execute();
      await trx.updateTable('mail_messages').set({ ticket_id: into.id }).where('ticket_id', '=', source.id).execute();
      await trx.updateTable('outbound_mail').set({ ticket_id: into.id }).where('ticket_id', '=', source.id).execute();
      // The duplicate's description survives as a note on the target.
      const noteId = crypto.randomUUID();
      const note = { id: noteId, ticket_id: into.id, author_id: actor.userId, visibility: 'internal', body: `Merged from #${source.number} "${source.subject}" (${source.requester_name} <${source.requester_email}>):\n\n${source.description}`, created_at: now, source: 'app', author_email: null, html: null, flags: '[]', attachments: '[]' };
      // The closed duplicate says where it went.
      const link = { ...note, id: crypto.randomUUID(), ticket_id: source.id, body: `Merged into #${into.number} "${into.subject}". Its conversation continues there.` };
      await trx.insertInto('ticket_comments').values([note, link]).execute();
      const cc = [...new Set([...(JSON.parse(into.cc) as string[]), ...(JSON.parse(source.cc) as string[]), ...(source.requester_email !== into.requester_email ? [source.requester_email] : [])])];
      const nextInto: TicketRow = { ...into, cc: JSON.stringify(cc), version: into.version + 1, updated_at: now };
      const nextSource: TicketRow = { ...source, ...SlaClock.onStatus(source, source.status as TicketStatus, 'closed', now), status: 'closed', closed_at: now, merged_into_id: into.id, version: source.version + 1, updated_at: now };
      for (const row of [nextInto, nextSource]) {
        const { id, number: _n, ...values } = row;
        await trx.updateTable('tickets').set(values).where('id', '=', id).execute();
      }
      await trx
        .insertInto('ticket_events')
        .values([
          { ticket_id: into.id, actor_id: actor.userId, kind: 'merged', field: 'from', old_value: null, new_value: JSON.stringify({ ticketId: source.id, number: Number(source.number) }), at: now },
          { ticket_id: source.id, actor_id: actor.userId, kind: 'merged', field: 'into', old_value: null, new_value: JSON.stringify({ ticketId: into.id, number: Number(into.number) }), at: now },
          { ticket_id: source.id, actor_id: actor.userId, kind: 'changed', field: 'status', old_value: JSON.stringify(source.status), new_value: '"closed"', at: now },
        ])
        .execute();
      await this.search.index(trx, nextInto);
      await this.search.index(trx, nextSource);
      const who = { id: actor.userId, email: actor.email };
      const intoAudience: Audience = { kind: 'queue', queueId: into.queue_id, prevQueueId: null };
      const sourceAudience: Audience = { kind: 'queue', queueId: source.queue_id, prevQueueId: null };
      for (const c of [...moved.map((m) => ({ ...m, ticket_id: into.id })), note]) {
        await this.changes.record(trx, { entity: 'comment', id: c.id, op: 'upsert', audience: intoAudience, data: toComment(c), actorId: actor.userId });
      }
      await this.changes.record(trx, { entity: 'comment', id: link.id, op: 'upsert', audience: sourceAudience, data: toComment(link), actorId: actor.userId });
      const sourceTicket = toTicket(nextSource, now);
      const intoTicket = toTicket(nextInto, now);
      const s1 = await this.changes.record(trx, { entity: 'ticket', id: source.id, op: 'upsert', audience: sourceAudience, data: sourceTicket, actorId: actor.userId });
      const s2 = await this.changes.record(trx, { entity: 'ticket', id: into.id, op: 'upsert', audience: intoAudience, data: intoTicket, actorId: actor.userId });
      out.push({ event: { type: 'ticket.updated', seq: s1, actor: who, data: sourceTicket, at: now }, audience: sourceAudience });
      out.push({ event: { type: 'ticket.updated', seq: s2, actor: who, data: intoTicket, at: now }, audience: intoAudience });
      return intoTicket;
    });
    for (const p of out) this.events.publish(p.event, p.audience);
    return result;
  }

  private async visible(trx: Kysely<Database>, actor: Actor, id: string, field?: string): Promise<TicketRow> {
    const row = await trx.selectFrom('tickets').select(TICKET_COLUMNS).where('id', '=', id).executeTakeFirst();
    const hidden = !row || (actor.role === 'agent' && !(await this.access.memberships(actor.userId, trx)).includes(row.queue_id));
    if (hidden) throw field ? new AppError('unprocessable', 'The ticket to merge into does not exist or is not visible to you', { field }) : notFound('Ticket');
    return row;
  }
}
