import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

/** Endpoint probes (HTTP, TCP, TLS, DNS) with their current state, and their recent results (issue 15). */
export function probes(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('probes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        // Every kind's settings as JSON (method, expected status, keyword, headers, TLS and DNS options).
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('interval_seconds', 'integer', (c) => c.notNull())
        .addColumn('timeout_ms', 'integer', (c) => c.notNull())
        .addColumn('retries', 'integer', (c) => c.notNull())
        .addColumn('for_seconds', 'integer', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        // The basic-auth password or bearer token, AES-256-GCM sealed (never returned by the API).
        .addColumn('secret', 'text')
        .addColumn('paused', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
        .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('failing_since', 'bigint')
        .addColumn('next_run_at', 'bigint', (c) => c.notNull())
        .addColumn('last_checked_at', 'bigint')
        .addColumn('last_latency_ms', 'double precision')
        .addColumn('last_error', 'text')
        .addColumn('tls_expires_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('probes_due').on('probes').columns(['paused', 'next_run_at']).execute();
      await db.schema
        .createTable('probe_results')
        .addColumn('probe_id', 'text', (c) => c.notNull().references('probes.id').onDelete('cascade'))
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('success', 'integer', (c) => c.notNull())
        .addColumn('latency_ms', 'double precision', (c) => c.notNull())
        .addColumn('message', 'text')
        .addColumn('tls_expires_at', 'bigint')
        .execute();
      await db.schema.createIndex('probe_results_recent').on('probe_results').columns(['probe_id', 'at']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('probe_results').execute();
      await db.schema.dropTable('probes').execute();
    },
  };
}
