import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db/schema';
import type { EventHub } from '../platform/realtime/event-hub';
import type { ChangeFeed } from '../sync/change-feed';
import { toComment, type OutboundMailRow } from '../tickets/ticket-model';
import { AppError, notFound } from '../platform/http/errors';
import type { MailboxSecrets, MailboxService } from './mailbox-service';
import { smtpTransport } from './smtp-transport';

export interface MailerOptions {
  maxAttempts: number;
  retryBaseMs: number;
  /** A `sending` row older than this was left by a process that died mid-send: it goes out again. */
  staleSendingMs: number;
  globalSmtpUrl: string | undefined;
}

/**
 * Sends queued ticket mail through SMTP. A row is claimed (queued/retrying → sending) before it is
 * sent and keeps its Message-ID across attempts; a sent row is never sent again. A temporary
 * failure is retried with backoff, a permanent one (5xx) or the last attempt fails with the
 * server's answer; every state change reaches the ticket's viewers as a comment update.
 */
export class Mailer {
  private again = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly mailboxes: MailboxService,
    private readonly changes: ChangeFeed,
    private readonly events: EventHub,
    private readonly clock: Clock,
    private readonly options: MailerOptions,
    private readonly runRound: (round: () => Promise<void>) => Promise<void>,
  ) {}

  /** Wake the sender now (after a commit queued mail). */
  kick(): void {
    this.again = true;
    void this.runRound(() => this.sendDue());
  }

  async sendDue(): Promise<void> {
    do {
      this.again = false;
      const now = this.clock.now();
      const due = await this.db
        .selectFrom('outbound_mail')
        .selectAll()
        .where((eb) =>
          eb.or([
            eb.and([eb('state', 'in', ['queued', 'retrying']), eb('next_attempt_at', '<=', now)]),
            eb.and([eb('state', '=', 'sending'), eb('attempt_started_at', '<', now - this.options.staleSendingMs)]),
          ]),
        )
        .orderBy('created_at')
        .limit(50)
        .execute();
      // Per round and queue: the mailbox (unsealed once) and one pooled SMTP connection.
      const transports = new Map<string, { mailbox: MailboxSecrets | null; transport: Transporter | null }>();
      try {
        for (const row of due) await this.sendOne(row, transports);
      } finally {
        for (const t of transports.values()) t.transport?.close();
      }
    } while (this.again);
  }

  /** A failed (or retrying) delivery goes out again now, with the same Message-ID. A sent one is left alone. */
  async retry(ticketId: string, commentId: string): Promise<void> {
    const row = await this.db.selectFrom('outbound_mail').selectAll().where('comment_id', '=', commentId).where('ticket_id', '=', ticketId).executeTakeFirst();
    if (!row) throw notFound('Delivery');
    if (row.state === 'sent') throw new AppError('conflict', 'This reply was already sent; it is not sent twice');
    if (row.state === 'sending' || row.state === 'queued') return;
    await this.db.updateTable('outbound_mail').set({ state: 'queued', next_attempt_at: this.clock.now(), updated_at: this.clock.now() }).where('id', '=', row.id).where('state', '=', row.state).execute();
    await this.announce(row.id);
    this.kick();
  }

  private async sendOne(row: OutboundMailRow, transports: Map<string, { mailbox: MailboxSecrets | null; transport: Transporter | null }>): Promise<void> {
    const now = this.clock.now();
    const claimed = await this.db
      .updateTable('outbound_mail')
      .set({ state: 'sending', attempt_started_at: now, updated_at: now })
      .where('id', '=', row.id)
      .where('state', '=', row.state)
      .where('updated_at', '=', row.updated_at)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return;
    const attempts = row.attempts + 1;
    try {
      let entry = transports.get(row.queue_id);
      if (!entry) {
        entry = { mailbox: await this.mailboxes.secrets(row.queue_id), transport: null };
        transports.set(row.queue_id, entry);
      }
      const mailbox = entry.mailbox;
      if (!mailbox) throw new PermanentFailure("The queue has no mailbox any more: there is no address to send from");
      entry.transport ??= smtpTransport(mailbox, this.options.globalSmtpUrl);
      const transport = entry.transport;
      const references = JSON.parse(row.references_ids) as string[];
      // A reply's files go with it, read at send time (the same bytes on every retry).
      const files = row.comment_id
        ? await this.db.selectFrom('attachments').select(['filename', 'content_type', 'data']).where('comment_id', '=', row.comment_id).orderBy('created_at').execute()
        : [];
      await transport.sendMail({
        from: { name: mailbox.display_name || mailbox.address, address: mailbox.address },
        to: JSON.parse(row.to_addresses) as string[],
        cc: JSON.parse(row.cc_addresses) as string[],
        subject: row.subject,
        text: row.body,
        attachments: files.map((f) => ({ filename: f.filename, contentType: f.content_type, content: Buffer.from(f.data) })),
        messageId: `<${row.message_id}>`,
        inReplyTo: row.in_reply_to ? `<${row.in_reply_to}>` : undefined,
        references: references.length ? references.map((r) => `<${r}>`) : undefined,
        headers: {
          // RFC 3834: an acknowledgement is automatic; either way other robots must not answer it.
          'Auto-Submitted': row.kind === 'ack' ? 'auto-replied' : 'no',
          'X-Auto-Response-Suppress': 'All',
          'X-OpsDesk-Ticket': row.subject.match(/\[#(\d+)\]/)?.[1] ?? '',
        },
      });
      await this.finish(row.id, { state: 'sent', attempts, last_error: null, sent_at: this.clock.now(), next_attempt_at: null });
    } catch (err) {
      const e = err as Error & { responseCode?: number; response?: string };
      const answer = e.response ?? e.message;
      const permanent = err instanceof PermanentFailure || (typeof e.responseCode === 'number' && e.responseCode >= 500);
      const last = permanent || attempts >= this.options.maxAttempts;
      await this.finish(row.id, {
        state: last ? 'failed' : 'retrying',
        attempts,
        last_error: answer,
        sent_at: null,
        next_attempt_at: last ? null : this.clock.now() + this.options.retryBaseMs * 2 ** (attempts - 1),
      });
    }
  }

  private async finish(id: string, values: Pick<OutboundMailRow, 'state' | 'attempts' | 'last_error' | 'sent_at' | 'next_attempt_at'>): Promise<void> {
    await this.db.updateTable('outbound_mail').set({ ...values, attempt_started_at: null, updated_at: this.clock.now() }).where('id', '=', id).execute();
    await this.announce(id);
  }

  /** The comment, with its new delivery state, to the ticket's queue (delta sync and live event). */
  private async announce(id: string): Promise<void> {
    const published = await this.db.transaction().execute(async (trx) => {
      await this.changes.lock(trx);
      const d = await trx.selectFrom('outbound_mail').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      if (!d.comment_id) return null;
      const c = await trx.selectFrom('ticket_comments').selectAll().where('id', '=', d.comment_id).executeTakeFirst();
      const t = await trx.selectFrom('tickets').select(['queue_id']).where('id', '=', d.ticket_id).executeTakeFirst();
      if (!c || !t) return null;
      const comment = toComment(c, d);
      const audience = { kind: 'queue' as const, queueId: t.queue_id, prevQueueId: null };
      const seq = await this.changes.record(trx as Kysely<Database>, { entity: 'comment', id: c.id, op: 'upsert', audience, data: comment, actorId: null });
      return { seq, comment, audience };
    });
    if (published) this.events.publish({ type: 'comment.delivery', seq: published.seq, actor: null, data: published.comment, at: this.clock.now() }, published.audience);
  }
}

class PermanentFailure extends Error {}
