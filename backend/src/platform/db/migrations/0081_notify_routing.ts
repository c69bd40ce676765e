import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index';

/**
 * Popups routed by the server (issue 14 item 3): each user's quiet hours, and on every delivery
 * the person it is for (user_id), so a desktop delivery nobody confirmed falls back to that
 * person's email, and deliveries held by quiet hours are summarised when they end. Existing
 * desktop deliveries name their user as their target; others have none.
 */
export function notifyRouting(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('notification_quiet_hours')
        .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('from_time', 'text', (c) => c.notNull())
        .addColumn('to_time', 'text', (c) => c.notNull())
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('allow_critical', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.alterTable('notification_deliveries').addColumn('user_id', 'text').execute();
      await sql`update notification_deliveries set user_id = target where channel = 'desktop'`.execute(db);
      await db.schema.createIndex('notification_deliveries_held').on('notification_deliveries').columns(['user_id', 'created_at']).where(sql.ref('status'), '=', 'held').execute();
    },
  };
}
