import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

/**
 * Procedures as a person works them: a run's level (the manuals' severity / security level), its
 * due time and when its reminder went out; notes on steps (several per step, each with its author);
 * and the 48-hour notice of a maintenance occurrence (which occurrence it was sent for).
 */
export function procedureWorkflow(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('procedure_runs').addColumn('level', 'text').execute();
      await db.schema.alterTable('procedure_runs').addColumn('due_at', 'bigint').execute();
      await db.schema.alterTable('procedure_runs').addColumn('reminded_at', 'bigint').execute();
      await db.schema.createIndex('procedure_runs_due').on('procedure_runs').columns(['status', 'due_at']).execute();
      await db.schema
        .createTable('procedure_step_notes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('run_id', 'text', (c) => c.notNull().references('procedure_runs.id').onDelete('cascade'))
        .addColumn('step_key', 'text', (c) => c.notNull())
        .addColumn('author', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('procedure_step_notes_run').on('procedure_step_notes').columns(['run_id', 'created_at']).execute();
      await db.schema.alterTable('maintenance_windows').addColumn('notice_sent_for', 'bigint').execute();
      await db.schema.alterTable('maintenance_windows').addColumn('notice_sent_at', 'bigint').execute();
    },
  };
}
