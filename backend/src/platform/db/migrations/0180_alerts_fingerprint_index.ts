import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

/**
 * Every lookup of alerts by fingerprint asks for the open one (`status <> 'resolved'`) and walks
 * the partial unique index `alerts_open_fingerprint`; the full `alerts_fingerprint` index was read
 * by no query and cost one more random b-tree write per ingested alert (issue 17 item 5).
 */
export function alertsFingerprintIndex(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('alerts_fingerprint').execute();
    },
  };
}
