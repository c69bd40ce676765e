import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index';

/**
 * Threshold conditions waiting out their `for` duration survive a restart (alert_rule_pending);
 * a delivery records when its current attempt started, so one left `pending` by a process that died
 * mid-attempt is recognised and retried (notification_deliveries.attempt_started_at).
 */
export function alertPendingAndDeliveryAttempts(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('alert_rule_pending')
        .addColumn('fingerprint', 'text', (c) => c.primaryKey())
        .addColumn('rule_id', 'text', (c) => c.notNull())
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('since', 'bigint', (c) => c.notNull())
        .addColumn('checked_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema.alterTable('notification_deliveries').addColumn('attempt_started_at', 'bigint').execute();
      // Deliveries already stuck when this ships count as started when they were created.
      await sql`update notification_deliveries set attempt_started_at = created_at where status = 'pending'`.execute(db);
      await db.schema.createIndex('notification_deliveries_inflight').on('notification_deliveries').column('attempt_started_at').where(sql.ref('status'), '=', 'pending').execute();
    },
  };
}
