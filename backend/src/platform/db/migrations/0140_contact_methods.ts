import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

/**
 * Users' contact methods (issue 14 item 6): each email address or phone number a person may be
 * paged at, verified by a code sent through the channel itself; an unverified method is never
 * paged. The code is stored as a hash, with its expiry and the wrong guesses made against it.
 */
export function contactMethods(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('contact_methods')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('verified_at', 'bigint')
        .addColumn('code_hash', 'text')
        .addColumn('code_expires_at', 'bigint')
        .addColumn('code_sent_at', 'bigint')
        .addColumn('code_attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('contact_methods_user_address', ['user_id', 'kind', 'address'])
        .execute();
      await db.schema.createIndex('contact_methods_verified').on('contact_methods').columns(['user_id', 'kind', 'verified_at']).execute();
    },
  };
}
