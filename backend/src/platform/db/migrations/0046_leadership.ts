import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

/**
 * The deployment's leader for background work that must run once across instances (escalation,
 * schedules, retention…): who holds it and the term, a fencing token bumped at every change of
 * leader. The hold itself is a PostgreSQL advisory lock (platform/leadership.ts).
 */
export function leadership(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('leadership')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('term', 'bigint', (c) => c.notNull())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('since', 'bigint', (c) => c.notNull())
        .execute();
    },
  };
}
