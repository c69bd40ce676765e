import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

/**
 * Escalation policies to people: the one policy row becomes the default of many (each with a name,
 * the labels it matches, its order, repeats and ack timeout). An alert remembers its policy, how
 * many times the policy has repeated, its owner ("I'm on it") and when its acknowledgement times
 * out. alert_pages records who was paged at which level, so nobody is paged twice for one level.
 */
export function escalationPolicies(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const policies = () => db.schema.alterTable('escalation_policies');
      await policies().addColumn('name', 'text', (c) => c.notNull().defaultTo('Default')).execute();
      await policies().addColumn('match', 'text', (c) => c.notNull().defaultTo('{}')).execute();
      await policies().addColumn('position', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await policies().addColumn('repeat', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await policies().addColumn('ack_timeout_minutes', 'integer').execute();

      const alerts = () => db.schema.alterTable('alerts');
      await alerts().addColumn('policy_id', 'text').execute();
      await alerts().addColumn('escalation_round', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await alerts().addColumn('owner_id', 'text').execute();
      await alerts().addColumn('owner_name', 'text').execute();
      await alerts().addColumn('owned_at', 'bigint').execute();
      await alerts().addColumn('ack_expires_at', 'bigint').execute();
      await db.schema.createIndex('alerts_ack_expiry').on('alerts').column('ack_expires_at').where('ack_expires_at' as never, 'is not', null).execute();

      await db.schema
        .createTable('alert_pages')
        .addColumn('alert_id', 'text', (c) => c.notNull())
        .addColumn('page_key', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('alert_pages_pk', ['alert_id', 'page_key', 'user_id'])
        .execute();
    },
  };
}
