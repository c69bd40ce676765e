import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

/** Prometheus exposition targets with their last scrape (issue 15, item 2). */
export function scrapeTargets(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('scrape_targets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('job', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        // host:port of the URL: with job, the identity of the target's series.
        .addColumn('instance', 'text', (c) => c.notNull())
        .addColumn('interval_seconds', 'integer', (c) => c.notNull())
        .addColumn('timeout_ms', 'integer', (c) => c.notNull())
        .addColumn('sample_limit', 'integer', (c) => c.notNull())
        .addColumn('labels', 'text', (c) => c.notNull())
        // 'app' (the app and API) or 'services' (declared in SERVICES_FILE, synced at start).
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('paused', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
        .addColumn('next_run_at', 'bigint', (c) => c.notNull())
        .addColumn('last_scrape_at', 'bigint')
        .addColumn('last_duration_ms', 'double precision')
        .addColumn('last_samples', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('scrape_targets_identity').on('scrape_targets').columns(['job', 'instance']).unique().execute();
      await db.schema.createIndex('scrape_targets_due').on('scrape_targets').columns(['paused', 'next_run_at']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('scrape_targets').execute();
    },
  };
}
