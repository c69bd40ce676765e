import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

/** Canned replies (issue 13): shared snippets (owner_id null, admin-managed) and personal ones. */
export function cannedReplies(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('canned_replies')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('canned_replies_owner').on('canned_replies').columns(['owner_id', 'name']).execute();
    },
  };
}
