import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index';

/**
 * Why a token stopped working (api_tokens.revoked_reason): revoked by hand, or with its creator
 * being disabled or demoted below what the token carries. Tokens revoked before this are "manual".
 */
export function apiTokenRevocation(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('api_tokens').addColumn('revoked_reason', 'text').execute();
      await sql`update api_tokens set revoked_reason = 'manual' where revoked_at is not null`.execute(db);
      await db.schema.createIndex('api_tokens_active_by_creator').on('api_tokens').column('created_by').where(sql.ref('revoked_at'), 'is', null).execute();
    },
  };
}
