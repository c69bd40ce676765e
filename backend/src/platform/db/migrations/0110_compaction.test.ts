import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest, migrateUpTo } from '../migrate';

describe.each(DATABASES)('migration 0110 (compaction marks) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('adds the marks table over existing data and keeps the feed', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    await migrateUpTo(handle, '0060_probes');
    const db = handle.db;
    await db.insertInto('changes').values({ entity: 'ticket', entity_id: 't1', op: 'upsert', audience: 'all', queue_id: null, prev_queue_id: null, user_id: null, data: '{}', actor_id: null, at: 1 }).execute();
    expect(await migrateToLatest(handle)).toContain('0110_compaction');
    await db.insertInto('compaction_marks').values({ name: 'changes.horizon', value: 1, at: 2 }).execute();
    expect(await db.selectFrom('compaction_marks').selectAll().execute()).toEqual([{ name: 'changes.horizon', value: 1, at: 2 }]);
    expect((await db.selectFrom('changes').select('entity_id').execute()).map((r) => r.entity_id)).toEqual(['t1']);
  });
});
