import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

/**
 * Compaction of the change feed: `compaction_marks` keeps the highest sequence compaction removed
 * (`changes.horizon`), so a client whose cursor is below it is told to resync; `changes_at` lets
 * the compaction find old rows without a scan.
 */
export function compaction(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('compaction_marks')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'bigint', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('changes_at').on('changes').column('at').execute();
      await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();
    },
  };
}
