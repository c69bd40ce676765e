import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest } from '../migrate';

describe.each(DATABASES)('migration 0071 (canned replies) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('keeps shared snippets (no owner) and personal ones, deleted with their owner', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    expect(await migrateToLatest(handle)).toContain('0071_canned_replies');
    const db = handle.db;
    await db.insertInto('users').values({ id: 'u1', email: 'u@example.com', name: 'U', role: 'agent', password_hash: 'x', disabled: 0, created_at: 1, updated_at: 1 } as never).execute();
    await db.insertInto('canned_replies').values([
      { id: 'c1', owner_id: null, name: 'Greeting', body: 'Hi {{requester.name}}', created_by: 'u1', created_at: 1, updated_at: 1 },
      { id: 'c2', owner_id: 'u1', name: 'Mine', body: 'Cheers, {{agent.name}}', created_by: 'u1', created_at: 1, updated_at: 1 },
    ]).execute();
    await db.deleteFrom('users').where('id', '=', 'u1').execute();
    expect((await db.selectFrom('canned_replies').select('id').execute()).map((r) => r.id)).toEqual(['c1']);
  });
});
