import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

/**
 * The replica count OpsDesk last set for a service on an external platform where the platform
 * itself cannot say it (a Docker service scaled to 0 keeps one stopped container as its
 * definition; a plain container stopped on purpose), so every instance and every restart agrees.
 */
export function serviceState(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('service_state')
        .addColumn('service', 'text', (c) => c.primaryKey())
        .addColumn('driver', 'text', (c) => c.notNull())
        .addColumn('desired_replicas', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  };
}
