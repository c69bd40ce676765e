import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

/** A threshold rule's aggregation across its matching series, grouped by labels (issue 15, item 3). */
export function ruleAggregation(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // 'none' (each series on its own), or avg / min / max / sum / count of the matching series.
      await db.schema.alterTable('alert_rules').addColumn('aggregation', 'text', (c) => c.notNull().defaultTo('none')).execute();
      // JSON array of the label names the aggregation keeps (one alert per group).
      await db.schema.alterTable('alert_rules').addColumn('group_by', 'text', (c) => c.notNull().defaultTo('[]')).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('alert_rules').dropColumn('group_by').execute();
      await db.schema.alterTable('alert_rules').dropColumn('aggregation').execute();
    },
  };
}
