import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

/**
 * Attachments of tickets and comments (issue 13): the bytes in the database (so backups and every
 * instance on a shared PostgreSQL have them), with the sniffed content type, size and SHA-256; the
 * metadata list also on the ticket or comment row, so it travels with the record through sync.
 */
export function attachments({ dialect }: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('attachments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
        .addColumn('comment_id', 'text', (c) => c.references('ticket_comments.id').onDelete('cascade'))
        .addColumn('filename', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('uploaded_by', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('data', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('attachments_ticket').on('attachments').columns(['ticket_id', 'created_at']).execute();
      await db.schema.createIndex('attachments_comment').on('attachments').column('comment_id').execute();
      await db.schema.alterTable('tickets').addColumn('attachments', 'text', (c) => c.notNull().defaultTo('[]')).execute();
      await db.schema.alterTable('ticket_comments').addColumn('attachments', 'text', (c) => c.notNull().defaultTo('[]')).execute();
    },
  };
}
