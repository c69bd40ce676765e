import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

/**
 * A refresh token names the token that replaced it (refresh_tokens.replaced_by), so a client whose
 * refresh response was lost can present the used token again within a short grace and get a new
 * one, as long as its replacement was never used. Tokens used before this have no replacement
 * recorded: presenting them again stays reuse.
 */
export function refreshGrace(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('refresh_tokens').addColumn('replaced_by', 'text').execute();
    },
  };
}
