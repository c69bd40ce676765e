import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

/** Jobs and their logs, runbooks, backups catalogue, maintenance windows, procedure runs (issue 6). */
export function operations(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('runbook', 'text', (c) => c.notNull())
        .addColumn('params', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('requested_by', 'text')
        .addColumn('requested_by_email', 'text')
        .addColumn('approved_by', 'text')
        .addColumn('approved_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('started_at', 'bigint')
        .addColumn('finished_at', 'bigint')
        .addColumn('exit_code', 'integer')
        .addColumn('summary', 'text')
        .addColumn('result', 'text')
        .addColumn('reason', 'text')
        .addColumn('retry_of', 'text')
        .addColumn('timeout_ms', 'bigint', (c) => c.notNull())
        .addColumn('lock_key', 'text')
        .addColumn('log_seq', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('cancel_requested_at', 'bigint')
        .addColumn('worker', 'text')
        .addColumn('heartbeat_at', 'bigint')
        .execute();
      await db.schema.createIndex('jobs_status').on('jobs').columns(['status', 'created_at']).execute();
      await db.schema.createIndex('jobs_created').on('jobs').column('created_at').execute();

      await db.schema
        .createTable('job_logs')
        .addColumn('job_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('stream', 'text', (c) => c.notNull())
        .addColumn('line', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('job_logs_pk', ['job_id', 'seq'])
        .execute();

      await db.schema
        .createTable('job_locks')
        .addColumn('lock_key', 'text', (c) => c.primaryKey())
        .addColumn('job_id', 'text', (c) => c.notNull())
        .addColumn('acquired_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('command_runbooks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('backups')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('dialect', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('file', 'text')
        .addColumn('size_bytes', 'bigint')
        .addColumn('sha256', 'text')
        .addColumn('verified', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('verification', 'text')
        .addColumn('row_counts', 'text')
        .addColumn('schema_version', 'text')
        .addColumn('job_id', 'text')
        .addColumn('pruned_at', 'bigint')
        .addColumn('error', 'text')
        .execute();
      await db.schema.createIndex('backups_created').on('backups').column('created_at').execute();

      await db.schema
        .createTable('maintenance_windows')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('announcement', 'text', (c) => c.notNull())
        .addColumn('starts_at', 'bigint', (c) => c.notNull())
        .addColumn('ends_at', 'bigint', (c) => c.notNull())
        .addColumn('cron', 'text')
        .addColumn('timezone', 'text', (c) => c.notNull())
        .addColumn('services', 'text', (c) => c.notNull())
        .addColumn('silence_alerts', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('current_start', 'bigint')
        .addColumn('current_end', 'bigint')
        .addColumn('started_notified_for', 'bigint')
        .addColumn('silence_ids', 'text', (c) => c.notNull())
        .addColumn('silencing', 'text')
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('procedure_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('procedure', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('assigned_role', 'text')
        .addColumn('params', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('maintenance_id', 'text')
        .addColumn('occurrence', 'text', (c) => c.unique())
        .addColumn('started_by', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('finished_at', 'bigint')
        .execute();
      await db.schema.createIndex('procedure_runs_status').on('procedure_runs').columns(['status', 'created_at']).execute();

      await db.schema
        .createTable('procedure_steps')
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('idx', 'integer', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('phase', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('instructions', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('result', 'text')
        .addColumn('job_id', 'text')
        .addColumn('completed_by', 'text')
        .addColumn('started_at', 'bigint')
        .addColumn('completed_at', 'bigint')
        .addColumn('wake_at', 'bigint')
        .addColumn('note', 'text')
        .addPrimaryKeyConstraint('procedure_steps_pk', ['run_id', 'idx'])
        .execute();
    },
  };
}
