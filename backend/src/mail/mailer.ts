import { sql, type Kysely } from 'kysely';
import type { SendMailOptions } from 'nodemailer';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db/schema';
import type { EventHub } from '../platform/realtime/event-hub';
import type { ChangeFeed } from '../sync/change-feed';
import type { OutboundMailRow } from '../tickets/ticket-model';
import { DeliveryLog } from './delivery-log';
import { AppError, notFound } from '../platform/http/errors';
import type { MailboxSecrets, MailboxService } from './mailbox-service';
import { SmtpTransports } from './smtp-transport';

export interface MailerOptions {
  maxAttempts: number;
  retryBaseMs: number;
  /** A `sending` row older than this was left by a process that died mid-send: it goes out again. */
  staleSendingMs: number;
  globalSmtpUrl: string | undefined;
  /** Messages being sent at once (and SMTP connections per queue at most). */
  concurrency: number;
  /**
   * Where the committed mailbox and attachments are read: the SQLite reader threads, so a send does
   * not queue behind every write for the writer connection (on PostgreSQL the same pool).
   */
  reader: Kysely<Database>;
  dialect: 'sqlite' | 'postgres';
}

/**
 * Sends queued ticket mail through SMTP. Rows are claimed (queued/retrying → sending) in one
 * statement before they are sent, so two servers on one database never send a row twice, and keep
 * their Message-ID across attempts; a sent row is never sent again. At most `concurrency` messages
 * are in flight, through one pooled transport per queue kept between rounds; a round runs until
 * nothing is due, and a kick (a reply committed) wakes it at once. A temporary failure is retried
 * with backoff, a permanent one (5xx) or the last attempt fails with the server's answer; every
 * state change reaches the ticket's viewers as a comment update.
 */
export class Mailer {
  /** Kicked since the round last looked for due mail. */
  private again = false;
  private wake: (() => void) | null = null;
  private readonly transports: SmtpTransports;
  private readonly log: DeliveryLog;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly mailboxes: MailboxService,
    private readonly changes: ChangeFeed,
    private readonly events: EventHub,
    private readonly clock: Clock,
    private readonly options: MailerOptions,
    private readonly runRound: (round: () => Promise<void>) => Promise<void>,
  ) {
    this.transports = new SmtpTransports(options.globalSmtpUrl, options.concurrency);
    this.log = new DeliveryLog(db, changes, events, clock);
  }

  /** Wake the sender now (after a commit queued mail). */
  kick(): void {
    this.again = true;
    const wake = this.wake;
    this.wake = null;
    wake?.();
    // A kick that came after the running round's last look is not lost: the round that answered it is followed by another.
    void this.runRound(() => this.sendDue()).then(() => {
      if (this.again) this.kick();
    });
  }

  /** Closes the pooled SMTP connections (shutdown). */
  close(): void {
    this.transports.closeAll();
  }

  /** Sends until nothing is due: claims as many rows as there are free slots whenever one frees or a kick comes. */
  async sendDue(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    let failure: unknown = null;
    try {
      for (;;) {
        this.again = false;
        const free = this.options.concurrency - inFlight.size;
        const rows = free > 0 ? await this.claim(free) : [];
        const mailboxes = new Map<string, Promise<MailboxSecrets | null>>();
        for (const row of rows) {
          const sending: Promise<void> = this.sendClaimed(row, mailboxes)
            .catch((err: unknown) => void (failure ??= err))
            .finally(() => inFlight.delete(sending));
          inFlight.add(sending);
        }
        if (inFlight.size === 0) {
          if (this.again) continue;
          break;
        }
        await Promise.race([...inFlight, this.kicked()]);
      }
    } finally {
      await Promise.allSettled([...inFlight]);
      this.wake = null;
    }
    if (failure) throw failure;
  }

  private kicked(): Promise<void> {
    if (this.again) return Promise.resolve();
    return new Promise((resolve) => (this.wake = resolve));
  }

  /** Due rows (queued or retrying whose time came, or `sending` left by a dead process), claimed in one statement, oldest first. */
  private async claim(limit: number): Promise<OutboundMailRow[]> {
    const now = this.clock.now();
    const rows = await this.db
      .updateTable('outbound_mail')
      .set({ state: 'sending', attempt_started_at: now, updated_at: now })
      .where('id', 'in', (eb) => {
        const due = eb
          .selectFrom('outbound_mail')
          .select('id')
          // The partial index outbound_mail_unsent (0220) holds exactly these rows in created_at order (literals: SQLite
          // uses a partial index only when the query's terms prove its condition).
          .where(UNSENT)
          .where((w) =>
            w.or([
              w.and([w('state', 'in', ['queued', 'retrying']), w('next_attempt_at', '<=', now)]),
              w.and([w('state', '=', 'sending'), w('attempt_started_at', '<', now - this.options.staleSendingMs)]),
            ]),
          )
          .orderBy('created_at')
          .limit(limit);
        // Another server claiming at the same moment skips the rows this statement holds.
        return this.options.dialect === 'postgres' ? due.forUpdate().skipLocked() : due;
      })
      .returningAll()
      .execute();
    return rows.sort((a, b) => Number(a.created_at) - Number(b.created_at));
  }

  /** A failed (or retrying) delivery goes out again now, with the same Message-ID. A sent one is left alone. */
  async retry(ticketId: string, commentId: string): Promise<void> {
    const row = await this.db.selectFrom('outbound_mail').selectAll().where('comment_id', '=', commentId).where('ticket_id', '=', ticketId).executeTakeFirst();
    if (!row) throw notFound('Delivery');
    if (row.state === 'sent') throw new AppError('conflict', 'This reply was already sent; it is not sent twice');
    if (row.state === 'sending' || row.state === 'queued') return;
    await this.db.updateTable('outbound_mail').set({ state: 'queued', next_attempt_at: this.clock.now(), updated_at: this.clock.now() }).where('id', '=', row.id).where('state', '=', row.state).execute();
    await this.log.announce(row.id);
    this.kick();
  }

  /** Sends one claimed row and records the outcome. */
  private async sendClaimed(row: OutboundMailRow, mailboxes: Map<string, Promise<MailboxSecrets | null>>): Promise<void> {
    const attempts = row.attempts + 1;
    try {
      let mailbox = mailboxes.get(row.queue_id);
      if (!mailbox) mailboxes.set(row.queue_id, (mailbox = this.mailboxes.secrets(row.queue_id, this.options.reader)));
      const box = await mailbox;
      if (!box) throw new PermanentFailure('The queue has no mailbox any more: there is no address to send from');
      const message = await this.message(row, box);
      await this.transports.use(row.queue_id, box, (transport) => transport.sendMail(message));
    } catch (err) {
      const e = err as Error & { responseCode?: number; response?: string };
      const permanent = err instanceof PermanentFailure || (typeof e.responseCode === 'number' && e.responseCode >= 500);
      const last = permanent || attempts >= this.options.maxAttempts;
      await this.finish(row.id, {
        state: last ? 'failed' : 'retrying',
        attempts,
        last_error: e.response ?? e.message,
        sent_at: null,
        next_attempt_at: last ? null : this.clock.now() + this.options.retryBaseMs * 2 ** (attempts - 1),
      });
      return;
    }
    // Outside the try: a failure to record a sent message must not mark it for another attempt.
    await this.finish(row.id, { state: 'sent', attempts, last_error: null, sent_at: this.clock.now(), next_attempt_at: null });
  }

  private async message(row: OutboundMailRow, mailbox: MailboxSecrets): Promise<SendMailOptions> {
    const references = JSON.parse(row.references_ids) as string[];
    // A reply's files go with it, read at send time (the same bytes on every retry).
    const files = row.comment_id
      ? await this.options.reader.selectFrom('attachments').select(['filename', 'content_type', 'data']).where('comment_id', '=', row.comment_id).orderBy('created_at').execute()
      : [];
    return {
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
    };
  }

  private finish(id: string, outcome: Parameters<DeliveryLog['record']>[1]): Promise<void> {
    return this.log.record(id, outcome);
  }
}

class PermanentFailure extends Error {}

export const UNSENT = sql<boolean>`state in ('queued', 'retrying', 'sending')`;
