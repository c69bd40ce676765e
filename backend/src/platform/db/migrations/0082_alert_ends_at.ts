import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index';

/**
 * Alertmanager's endsAt (issue 14 item 5): a firing alert carries the time it stops being valid
 * unless the sender repeats it; the alert tick resolves open alerts whose time passed. Alerts from
 * before, and from senders without one, have none.
 */
export function alertEndsAt(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('alerts').addColumn('ends_at', 'bigint').execute();
      await db.schema.createIndex('alerts_open_ends_at').on('alerts').column('ends_at').where(sql.ref('status'), 'in', sql`('firing', 'acknowledged')`).execute();
    },
  };
}
