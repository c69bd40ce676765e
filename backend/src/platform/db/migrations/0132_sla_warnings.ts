import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index';

/**
 * The 80 % warning of each SLA timer is announced once: the watcher claims it by setting these
 * columns with a conditional update (as it does the breaches); partial indexes hold only the
 * running, unwarned timers.
 */
export function slaWarnings(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('tickets').addColumn('response_warned_at', 'bigint').execute();
      await db.schema.alterTable('tickets').addColumn('resolution_warned_at', 'bigint').execute();
      // Tickets already past their warning when this runs are not announced late.
      await sql`update tickets set response_warned_at = response_warn_at where response_warn_at <= ${Date.now()}`.execute(db);
      await sql`update tickets set resolution_warned_at = resolution_warn_at where resolution_warn_at <= ${Date.now()}`.execute(db);
      await db.schema
        .createIndex('tickets_response_warn_watch')
        .on('tickets')
        .column('response_warn_at')
        .where(sql.ref('status'), 'in', [sql.lit('new'), sql.lit('open')])
        .where(sql.ref('response_warned_at'), 'is', null)
        .execute();
      await db.schema
        .createIndex('tickets_resolution_warn_watch')
        .on('tickets')
        .column('resolution_warn_at')
        .where(sql.ref('status'), 'in', [sql.lit('new'), sql.lit('open')])
        .where(sql.ref('resolution_warned_at'), 'is', null)
        .execute();
    },
  };
}
