import type { Kysely } from 'kysely';
import { LIMITS } from '../../../shared/api/tickets';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db/schema';
import { uuid } from '../platform/ids';
import { SYSTEM_ACTOR, type OuterTransaction, type TicketService } from '../tickets/ticket-service';
import type { AttachmentStore, PreparedFile } from '../attachments/attachment-store';
import type { InboundMessage } from './inbound-message';
import type { MailboxRow } from './mailbox-service';
import { renderTemplate, type TicketMail } from './ticket-mail';

export type IngestOutcome =
  | { kind: 'ticket'; ticketId: string; number: number }
  | { kind: 'comment'; ticketId: string; commentId: string }
  | { kind: 'duplicate'; ticketId: string | null }
  | { kind: 'ignored'; reason: string };

const FLAG_TAGS = { auto: 'auto-reply', malformed: 'malformed-mime', oversized: 'oversized-mail' } as const;
const TAG = /\[#(\d{1,12})\]/;

export type BatchOutcome = IngestOutcome | { kind: 'failed'; error: unknown };

/**
 * Turns received messages into tickets and comments, each with the record of its Message-ID in the
 * same transaction: a message seen before (same Message-ID in this queue) changes nothing, so
 * fetching it again after a crash is harmless. A batch commits in one transaction (live events and
 * the mailer's kick after it); when it fails, each of its messages is tried on its own, so one bad
 * message neither blocks nor loses the others.
 */
export class InboundProcessor {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly tickets: TicketService,
    private readonly mail: TicketMail,
    private readonly clock: Clock,
    private readonly files: AttachmentStore | null = null,
    private readonly lock: (trx: Kysely<Database>) => Promise<void> = async () => undefined,
  ) {}

  /** The message's files that may be kept, and a note naming those refused (appended to its text). */
  private async filesOf(msg: InboundMessage): Promise<{ files: PreparedFile[]; note: string }> {
    if (!msg.attachments.length || !this.files) return { files: [], note: '' };
    const { files, refused } = await this.files.accept(msg.attachments);
    return { files, note: refused.length ? `\n\n[Attachments refused: ${refused.join('; ')}. Ask the sender for a smaller file or a link.]` : '' };
  }

  async ingest(mailbox: MailboxRow, msg: InboundMessage): Promise<IngestOutcome> {
    const [outcome] = await this.ingestMany(mailbox, [msg]);
    if (outcome!.kind === 'failed') throw outcome!.error;
    return outcome!;
  }

  /** The outcome of each message, in order; `failed` ones were not committed. */
  async ingestMany(mailbox: MailboxRow, msgs: InboundMessage[]): Promise<BatchOutcome[]> {
    const after: (() => void)[] = [];
    try {
      // The files are checked (type sniffing) before the transaction, not while it holds the writer.
      const files = await Promise.all(msgs.map((m) => this.filesOf(m)));
      const outcomes = await this.db.transaction().execute(async (trx) => {
        // The feed lock first, as every ticket write takes it (no lock-order deadlock on PostgreSQL).
        await this.lock(trx);
        const outer = { trx, afterCommit: (fn: () => void) => after.push(fn) };
        const out: IngestOutcome[] = [];
        for (let i = 0; i < msgs.length; i++) out.push(await this.ingestIn(outer, mailbox, msgs[i]!, files[i]!));
        return out;
      });
      for (const fn of after) fn();
      return outcomes;
    } catch (err) {
      if (msgs.length === 1) return [{ kind: 'failed', error: err }];
      const one: BatchOutcome[] = [];
      for (const m of msgs) one.push(...(await this.ingestMany(mailbox, [m])));
      return one;
    }
  }

  private async ingestIn(outer: OuterTransaction, mailbox: MailboxRow, msg: InboundMessage, { files, note }: { files: PreparedFile[]; note: string }): Promise<IngestOutcome> {
    const q = outer.trx;
    const seen = await q.selectFrom('mail_messages').select('ticket_id').where('queue_id', '=', mailbox.queue_id).where('direction', '=', 'in').where('message_id', '=', msg.messageId).executeTakeFirst();
    if (seen) return { kind: 'duplicate', ticketId: seen.ticket_id };
    if (!msg.from) return this.ignore(q, mailbox, msg, 'no sender address');
    const own = await q.selectFrom('queue_mailboxes').select('address').where('address', '=', msg.from.email).executeTakeFirst();
    if (own) return this.ignore(q, mailbox, msg, `sent by OpsDesk's own address ${own.address}`);

    const target = await this.threadTarget(q, msg, msg.from.email);
    const record = async (trx: Kysely<Database>, ticketId: string, commentId: string | null) => {
      await trx
        .insertInto('mail_messages')
        .values({ id: uuid(), queue_id: mailbox.queue_id, direction: 'in', message_id: msg.messageId, ticket_id: ticketId, comment_id: commentId, from_address: msg.from!.email, subject: msg.subject.slice(0, 500), flags: JSON.stringify(msg.flags), raw: msg.raw, at: this.clock.now() })
        .execute();
    };

    if (target && target.status !== 'closed') {
      // An auto-reply or a bounce to our mail lands as an internal note and never reopens the ticket.
      const auto = msg.autoReason !== null;
      const body = (auto ? `${msg.autoReason} from ${msg.from.email}:\n\n${msg.text}` : msg.text || '(no text)').slice(0, LIMITS.comment - note.length) + note;
      const { comment } = await this.tickets.comment(
        SYSTEM_ACTOR,
        target.id,
        { body, files, visibility: auto ? 'internal' : 'public', fromRequester: auto ? undefined : { email: msg.from.email, html: msg.html, flags: msg.flags } },
        (trx, r) => record(trx, r.ticket.id, r.comment.id),
        outer,
      );
      return { kind: 'comment', ticketId: target.id, commentId: comment.id };
    }

    const followUp = target ? `Follow-up to the closed ticket #${target.number}.\n\n` : '';
    let ackQueued = false;
    const ticket = await this.tickets.create(
      SYSTEM_ACTOR,
      {
        queueId: mailbox.queue_id,
        subject: (msg.subject.replace(TAG, '').trim() || '(no subject)').slice(0, LIMITS.subject),
        description: `${followUp}${msg.text}`.slice(0, LIMITS.description - note.length) + note,
        requester: { name: (msg.from.name || msg.from.email).slice(0, LIMITS.requesterName), email: msg.from.email },
        priority: 'medium',
        assigneeId: null,
        // The flags show on the ticket as tags; the description carries the note.
        tags: msg.flags.map((f) => FLAG_TAGS[f]),
        attachments: [],
      },
      {
        source: 'email',
        files,
        cc: msg.cc,
        outer,
        within: async (trx, t) => {
          await record(trx, t.id, null);
          if (mailbox.ack_enabled === 1 && msg.autoReason === null && mailbox.ack_template.trim()) {
            const row = await trx.selectFrom('tickets').selectAll().where('id', '=', t.id).executeTakeFirstOrThrow();
            const queue = await trx.selectFrom('queues').select('name').where('id', '=', t.queueId).executeTakeFirstOrThrow();
            const body = renderTemplate(mailbox.ack_template, { 'requester.name': t.requester.name, 'ticket.number': String(t.number), 'ticket.subject': t.subject, 'queue.name': queue.name });
            await this.mail.enqueue(trx, mailbox, row, { kind: 'ack', commentId: null, body, cc: [] });
            ackQueued = true;
          }
        },
      },
    );
    if (ackQueued) outer.afterCommit(() => this.mail.kick());
    return { kind: 'ticket', ticketId: ticket.id, number: ticket.number };
  }

  /**
   * The ticket a reply belongs to: a Message-ID OpsDesk sent or received in In-Reply-To/References,
   * else a `[#1234]` subject tag when the sender is that ticket's requester or on its CC list.
   * Merged tickets lead to the ticket they were merged into.
   */
  private async threadTarget(q: Kysely<Database>, msg: InboundMessage, sender: string): Promise<{ id: string; number: number; status: string } | null> {
    let ticketId: string | null = null;
    if (msg.threadIds.length) {
      const known = await q.selectFrom('mail_messages').select(['message_id', 'ticket_id']).where('message_id', 'in', msg.threadIds.slice(0, 100)).where('ticket_id', 'is not', null).execute();
      const byId = new Map(known.map((k) => [k.message_id, k.ticket_id]));
      ticketId = msg.threadIds.map((id) => byId.get(id)).find((t) => t) ?? null;
    }
    if (!ticketId) {
      const tag = TAG.exec(msg.subject);
      if (tag) {
        const t = await q.selectFrom('tickets').select(['id', 'requester_email', 'cc']).where('number', '=', Number(tag[1])).executeTakeFirst();
        if (t && (t.requester_email === sender || (JSON.parse(t.cc) as string[]).includes(sender))) ticketId = t.id;
      }
    }
    for (let hops = 0; ticketId && hops < 10; hops++) {
      const t = await q.selectFrom('tickets').select(['id', 'number', 'status', 'merged_into_id']).where('id', '=', ticketId).executeTakeFirst();
      if (!t) return null;
      if (!t.merged_into_id) return { id: t.id, number: Number(t.number), status: t.status };
      ticketId = t.merged_into_id;
    }
    return null;
  }

  private async ignore(q: Kysely<Database>, mailbox: MailboxRow, msg: InboundMessage, reason: string): Promise<IngestOutcome> {
    await q
      .insertInto('mail_messages')
      .values({ id: uuid(), queue_id: mailbox.queue_id, direction: 'in', message_id: msg.messageId, ticket_id: null, comment_id: null, from_address: msg.from?.email ?? '', subject: msg.subject.slice(0, 500), flags: JSON.stringify([...msg.flags, 'ignored']), raw: msg.raw, at: this.clock.now() })
      .execute();
    return { kind: 'ignored', reason };
  }
}
