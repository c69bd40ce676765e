import { sql, type Kysely } from 'kysely';

/**
 * Lookups of the email channel walked whole tables. Queueing a reply reads the ticket's thread
 * (`mail_messages` by `ticket_id`; only `message_id` was indexed): a scan of every message ever
 * received or sent, 0.6 ms per reply at 2,300 rows and growing with the mailbox. The mailer claims
 * the oldest due rows (`outbound_mail` in `created_at` order, unsent states only): the partial index
 * holds only unsent rows in that order, so a claim stops after its few rows instead of sorting the
 * backlog, and sent mail never enters it; it replaces `outbound_mail_due` (state, next_attempt_at),
 * which only that claim read and which kept every sent row. A ticket's deliveries (its comments'
 * states, a merge) are read by `ticket_id`, which had no index either.
 */
export function mailIndexes() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createIndex('mail_messages_ticket').on('mail_messages').columns(['ticket_id', 'at']).execute();
      await db.schema
        .createIndex('outbound_mail_unsent')
        .on('outbound_mail')
        .column('created_at')
        .where(sql.ref('state'), 'in', [sql.lit('queued'), sql.lit('retrying'), sql.lit('sending')])
        .execute();
      await db.schema.dropIndex('outbound_mail_due').execute();
      await db.schema.createIndex('outbound_mail_ticket').on('outbound_mail').column('ticket_id').execute();
    },
  };
}
