import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

/**
 * Scheduled report emails: `report_schedules` (admin-managed: period, recipients, time zone, hour)
 * and `report_deliveries`, one row per schedule and period — its primary key is the claim that
 * sends each period once, whichever instance gets there first. Two indexes let the reports read
 * tickets created or resolved in a range without a scan.
 */
export function reportSchedules(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('report_schedules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('period', 'text', (c) => c.notNull())
        .addColumn('recipients', 'text', (c) => c.notNull())
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('hour', 'integer', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('report_deliveries')
        .addColumn('schedule_id', 'text', (c) => c.notNull().references('report_schedules.id').onDelete('cascade'))
        .addColumn('period_start', 'bigint', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('claimed_at', 'bigint', (c) => c.notNull())
        .addColumn('sent_at', 'bigint')
        .addPrimaryKeyConstraint('report_deliveries_pk', ['schedule_id', 'period_start'])
        .execute();
      await db.schema.createIndex('tickets_created').on('tickets').column('created_at').execute();
      await db.schema.createIndex('tickets_resolved').on('tickets').column('resolved_at').execute();
    },
  };
}
