import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

/**
 * On-call schedules: a schedule has a time zone; its rotations (each on a layer) hand off on that
 * zone's wall clock; overrides cover every layer for a while; imported shifts are fixed shifts of
 * a layer. Feeds are per schedule or per user, reached by a random token stored only as a hash.
 * Hand-offs records each notice sent, so a restart or a second backend never sends it twice.
 */
export function oncall(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('oncall_schedules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('oncall_rotations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('schedule_id', 'text', (c) => c.notNull().references('oncall_schedules.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('layer', 'integer', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('shift_minutes', 'integer')
        .addColumn('handoff_time', 'text', (c) => c.notNull())
        .addColumn('start_date', 'text', (c) => c.notNull())
        .addColumn('participants', 'text', (c) => c.notNull())
        .addColumn('ends_at', 'bigint')
        .addColumn('active_from', 'text')
        .addColumn('active_to', 'text')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('oncall_rotations_schedule').on('oncall_rotations').columns(['schedule_id', 'position']).execute();
      await db.schema
        .createTable('oncall_overrides')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('schedule_id', 'text', (c) => c.notNull().references('oncall_schedules.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('covers_user_id', 'text')
        .addColumn('starts_at', 'bigint', (c) => c.notNull())
        .addColumn('ends_at', 'bigint', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('oncall_overrides_schedule').on('oncall_overrides').columns(['schedule_id', 'ends_at']).execute();
      await db.schema
        .createTable('oncall_imported_shifts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('schedule_id', 'text', (c) => c.notNull().references('oncall_schedules.id').onDelete('cascade'))
        .addColumn('layer', 'integer', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('starts_at', 'bigint', (c) => c.notNull())
        .addColumn('ends_at', 'bigint', (c) => c.notNull())
        .addColumn('source_uid', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('oncall_imported_shifts_schedule').on('oncall_imported_shifts').columns(['schedule_id', 'ends_at']).execute();
      await db.schema
        .createTable('oncall_feeds')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('schedule_id', 'text', (c) => c.references('oncall_schedules.id').onDelete('cascade'))
        .addColumn('user_id', 'text')
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_used_at', 'bigint')
        .addColumn('revoked_at', 'bigint')
        .execute();
      await db.schema
        .createTable('oncall_handoffs')
        .addColumn('schedule_id', 'text', (c) => c.notNull().references('oncall_schedules.id').onDelete('cascade'))
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('incoming_user_id', 'text')
        .addColumn('outgoing_user_id', 'text')
        .addColumn('notified_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('oncall_handoffs_pk', ['schedule_id', 'at'])
        .execute();
    },
  };
}
