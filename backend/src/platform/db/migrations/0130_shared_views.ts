import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

/** Saved views may be shared with the team: everyone sees them, only their owner changes them. */
export function sharedViews(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('saved_views').addColumn('shared', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.createIndex('saved_views_shared').on('saved_views').column('shared').execute();
    },
  };
}
