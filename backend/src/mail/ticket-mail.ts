import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db/schema';
import { uuid } from '../platform/ids';
import type { TicketMailHooks } from '../tickets/ticket-service';
import type { CommentRow, OutboundMailRow, TicketRow } from '../tickets/ticket-model';
import type { MailboxRow } from './mailbox-service';

/** The longest References header we build: the first message and the latest ones. */
const MAX_REFERENCES = 20;

export const ticketTag = (number: number) => `[#${number}]`;
/** `Re: [#1234] Printer jammed`: the tag lets a reply without headers find its ticket. */
export function replySubject(number: number, subject: string): string {
  const bare = subject.replace(/^\s*((re|aw|fwd?|sv)\s*:\s*)+/i, '').replace(/\s*\[#\d+\]\s*/g, ' ').trim();
  return `Re: ${ticketTag(number)} ${bare}`;
}

/**
 * Queues the email of an agent's public reply inside the comment's transaction (so a reply never
 * exists without its delivery, nor a delivery without its reply), with threading headers from the
 * ticket's earlier messages; `kick` wakes the mailer after commit.
 */
export class TicketMail implements TicketMailHooks {
  constructor(
    private readonly clock: Clock,
    private readonly wake: () => void,
  ) {}

  async onPublicReply(trx: Kysely<Database>, ticket: TicketRow, comment: CommentRow): Promise<OutboundMailRow | null> {
    const mailbox = await trx.selectFrom('queue_mailboxes').selectAll().where('queue_id', '=', ticket.queue_id).executeTakeFirst();
    if (!mailbox || !ticket.requester_email) return null;
    const signature = mailbox.display_name ? `\n\n-- \n${mailbox.display_name}` : '';
    return this.enqueue(trx, mailbox, ticket, { kind: 'reply', commentId: comment.id, body: `${comment.body}${signature}`, cc: JSON.parse(ticket.cc) as string[] });
  }

  kick(): void {
    this.wake();
  }

  /** Records the outgoing Message-ID first (a reply to it threads back even before it is sent). */
  async enqueue(
    trx: Kysely<Database>,
    mailbox: MailboxRow,
    ticket: TicketRow,
    mail: { kind: 'reply' | 'ack'; commentId: string | null; body: string; cc: string[] },
  ): Promise<OutboundMailRow> {
    const now = this.clock.now();
    const thread = await trx.selectFrom('mail_messages').select(['message_id', 'direction']).where('ticket_id', '=', ticket.id).orderBy('at').orderBy('id').execute();
    const ids = thread.map((m) => m.message_id).filter((id) => !id.startsWith('sha256:'));
    const lastIn = [...thread].reverse().find((m) => m.direction === 'in' && !m.message_id.startsWith('sha256:'));
    const references = ids.length > MAX_REFERENCES ? [ids[0]!, ...ids.slice(-(MAX_REFERENCES - 1))] : ids;
    const domain = mailbox.address.split('@')[1] ?? 'opsdesk.local';
    const messageId = `opsdesk.${ticket.number}.${uuid()}@${domain}`;
    const row: OutboundMailRow = {
      id: uuid(),
      ticket_id: ticket.id,
      comment_id: mail.commentId,
      kind: mail.kind,
      queue_id: ticket.queue_id,
      to_addresses: JSON.stringify([ticket.requester_email]),
      cc_addresses: JSON.stringify(mail.cc.filter((a) => a !== ticket.requester_email && a !== mailbox.address)),
      subject: replySubject(Number(ticket.number), ticket.subject),
      body: mail.body,
      message_id: messageId,
      in_reply_to: lastIn?.message_id ?? ids.at(-1) ?? null,
      references_ids: JSON.stringify(references),
      state: 'queued',
      attempts: 0,
      last_error: null,
      next_attempt_at: now,
      attempt_started_at: null,
      sent_at: null,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('outbound_mail').values(row).execute();
    await trx
      .insertInto('mail_messages')
      .values({ id: uuid(), queue_id: ticket.queue_id, direction: 'out', message_id: messageId, ticket_id: ticket.id, comment_id: mail.commentId, from_address: mailbox.address, subject: row.subject, flags: '[]', raw: null, at: now })
      .execute();
    return row;
  }
}

/** `{{requester.name}}`, `{{ticket.number}}`, `{{ticket.subject}}`, `{{queue.name}}`; unknown placeholders stay as written. */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*([a-z]+\.[a-z]+)\s*\}\}/g, (all, key: string) => values[key] ?? all);
}
