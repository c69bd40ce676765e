import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

/**
 * The helpdesk's email channel (issue 13): a mailbox per queue (IMAP in, SMTP out, the password
 * sealed), every message OpsDesk received or sent (threading and duplicate detection by
 * Message-ID), outbound mail with its delivery state, and on tickets and comments where they came
 * from; tickets can be merged into another.
 */
export function helpdeskEmail(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('queue_mailboxes')
        .addColumn('queue_id', 'text', (c) => c.primaryKey().references('queues.id').onDelete('cascade'))
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('display_name', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('imap_host', 'text', (c) => c.notNull())
        .addColumn('imap_port', 'integer', (c) => c.notNull())
        .addColumn('imap_tls', 'integer', (c) => c.notNull())
        .addColumn('imap_user', 'text', (c) => c.notNull())
        .addColumn('imap_password', 'text', (c) => c.notNull())
        .addColumn('imap_folder', 'text', (c) => c.notNull())
        .addColumn('processed_folder', 'text')
        .addColumn('smtp_host', 'text')
        .addColumn('smtp_port', 'integer')
        .addColumn('smtp_tls', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('smtp_auth', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('ack_enabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('ack_template', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('max_message_bytes', 'bigint', (c) => c.notNull())
        .addColumn('uid_validity', 'text')
        .addColumn('last_uid', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('stopped'))
        .addColumn('last_error', 'text')
        .addColumn('last_checked_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('mail_messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('queue_id', 'text', (c) => c.notNull())
        .addColumn('direction', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('ticket_id', 'text', (c) => c.references('tickets.id').onDelete('cascade'))
        .addColumn('comment_id', 'text')
        .addColumn('from_address', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('flags', 'text', (c) => c.notNull())
        .addColumn('raw', 'text')
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('mail_messages_once', ['queue_id', 'direction', 'message_id'])
        .execute();
      await db.schema.createIndex('mail_messages_message_id').on('mail_messages').column('message_id').execute();

      await db.schema
        .createTable('outbound_mail')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
        .addColumn('comment_id', 'text', (c) => c.unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('queue_id', 'text', (c) => c.notNull())
        .addColumn('to_addresses', 'text', (c) => c.notNull())
        .addColumn('cc_addresses', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.notNull().unique())
        .addColumn('in_reply_to', 'text')
        .addColumn('references_ids', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('next_attempt_at', 'bigint')
        .addColumn('attempt_started_at', 'bigint')
        .addColumn('sent_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('outbound_mail_due').on('outbound_mail').columns(['state', 'next_attempt_at']).execute();

      await db.schema.alterTable('tickets').addColumn('source', 'text', (c) => c.notNull().defaultTo('app')).execute();
      await db.schema.alterTable('tickets').addColumn('cc', 'text', (c) => c.notNull().defaultTo('[]')).execute();
      await db.schema.alterTable('tickets').addColumn('merged_into_id', 'text').execute();
      await db.schema.alterTable('ticket_comments').addColumn('source', 'text', (c) => c.notNull().defaultTo('app')).execute();
      await db.schema.alterTable('ticket_comments').addColumn('author_email', 'text').execute();
      await db.schema.alterTable('ticket_comments').addColumn('html', 'text').execute();
      await db.schema.alterTable('ticket_comments').addColumn('flags', 'text', (c) => c.notNull().defaultTo('[]')).execute();
    },
  };
}
