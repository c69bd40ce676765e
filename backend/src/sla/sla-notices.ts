import type { Kysely } from 'kysely';
import type { Ticket } from '../../../shared/api/tickets';
import type { Notifier, Recipient } from '../notifications/notifier';
import type { Database } from '../platform/db/schema';

export type SlaTimer = 'first_response' | 'resolution';
export type SlaNoticeKind = 'warning' | 'breach';

const TIMER_NAME: Record<SlaTimer, string> = { first_response: 'First response', resolution: 'Resolution' };

/**
 * Tells people about an SLA warning (80 % of a target used) or breach: the ticket's assignee, or
 * the queue's members while nobody is assigned, each through the Notifier's notice path (a desktop
 * popup routed to their sockets and an email, per their channel preferences). The watcher calls it
 * once per claimed warning or breach.
 */
export class SlaNotices {
  constructor(
    private readonly db: Kysely<Database>,
    /** Built after the helpdesk services: a callback breaks the cycle. */
    private readonly notifier: () => Pick<Notifier, 'notice'>,
  ) {}

  async recipients(ticket: Pick<Ticket, 'assigneeId' | 'queueId'>): Promise<Recipient[]> {
    let q = this.db.selectFrom('users').select(['users.id', 'users.email', 'users.name']).where('users.disabled', '=', 0);
    q = ticket.assigneeId
      ? q.where('users.id', '=', ticket.assigneeId)
      : q.innerJoin('queue_members', 'queue_members.user_id', 'users.id').where('queue_members.queue_id', '=', ticket.queueId).orderBy('queue_members.added_at');
    return q.execute();
  }

  async send(kind: SlaNoticeKind, timer: SlaTimer, ticket: Ticket, dueAt: number): Promise<string[]> {
    const people = await this.recipients(ticket);
    if (!people.length) return [];
    const head = kind === 'warning' ? 'SLA warning' : 'SLA breached';
    const what = kind === 'warning' ? `${TIMER_NAME[timer]} target 80 % used` : `${TIMER_NAME[timer]} target missed`;
    const due = new Date(dueAt).toISOString().replace('T', ' ').slice(0, 16);
    return this.notifier().notice(people, {
      subject: `[${head}] #${ticket.number} ${ticket.subject}`.slice(0, 250),
      text: [`${what} (due ${due} UTC)`, `Priority: ${ticket.priority}`, `Requester: ${ticket.requester.name} <${ticket.requester.email}>`, ticket.assigneeId ? 'You are assigned.' : 'Nobody is assigned: sent to the queue.', `Ticket id: ${ticket.id}`].join('\n'),
      severity: kind === 'warning' ? 'medium' : 'high',
      alertId: null,
      ticket: { id: ticket.id, number: ticket.number },
    });
  }
}
