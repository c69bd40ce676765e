import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest } from '../migrate';

describe.each(DATABASES)('migration 0091 (rule aggregation) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('gives existing and new rules no aggregation and no grouping by default', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    expect(await migrateToLatest(handle)).toContain('0091_rule_aggregation');
    const db = handle.db;
    const row = { id: 'r1', name: 'cpu', metric: 'm', labels: '{}', comparison: 'gt' as const, warning: 1, critical: null, warning_severity: 'medium', critical_severity: 'critical', for_seconds: 0, hysteresis: 0, enabled: 1, builtin: 0, summary: 's', created_at: 1, updated_at: 1 };
    await db.insertInto('alert_rules').values(row as never).execute();
    expect(await db.selectFrom('alert_rules').select(['aggregation', 'group_by']).executeTakeFirstOrThrow()).toEqual({ aggregation: 'none', group_by: '[]' });
    await db.updateTable('alert_rules').set({ aggregation: 'max', group_by: '["job"]' }).execute();
    expect(await db.selectFrom('alert_rules').select(['aggregation', 'group_by']).executeTakeFirstOrThrow()).toEqual({ aggregation: 'max', group_by: '["job"]' });
  });
});
