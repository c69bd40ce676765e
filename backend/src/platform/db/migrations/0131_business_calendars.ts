import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

/**
 * Business-hours calendars (weekday windows in a time zone, holidays) and which one a queue's SLA
 * follows; a queue without a row runs its SLA clocks around the clock.
 */
export function businessCalendars(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('business_calendars')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('time_zone', 'text', (c) => c.notNull())
        /** JSON: [{ day: 1–7, start: minutes, end: minutes }]. */
        .addColumn('windows', 'text', (c) => c.notNull())
        /** JSON: ["YYYY-MM-DD", …] in the calendar's zone. */
        .addColumn('holidays', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_by', 'text')
        .execute();
      await db.schema
        .createTable('queue_sla_calendars')
        .addColumn('queue_id', 'text', (c) => c.primaryKey().references('queues.id').onDelete('cascade'))
        .addColumn('calendar_id', 'text', (c) => c.notNull().references('business_calendars.id'))
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('queue_sla_calendars_calendar').on('queue_sla_calendars').column('calendar_id').execute();
    },
  };
}
