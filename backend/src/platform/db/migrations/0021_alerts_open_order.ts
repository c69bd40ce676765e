import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index';

/** Open alerts newest first without sorting them all: the alert list's default view. */
export function alertsOpenOrder(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createIndex('alerts_open_order').on('alerts').columns(['starts_at', 'id']).where(sql.ref('status'), '<>', 'resolved').execute();
    },
  };
}
