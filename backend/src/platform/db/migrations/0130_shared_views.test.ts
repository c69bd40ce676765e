import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest, migrateUpTo } from '../migrate';

describe.each(DATABASES)('migration 0130 (shared views) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('keeps existing views personal and lets new ones be shared', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    await migrateUpTo(handle, '0120_procedure_workflow');
    const db = handle.db;
    await db.insertInto('users').values({ id: 'u1', email: 'u@example.com', name: 'U', role: 'agent', password_hash: 'x', disabled: 0, mfa_enabled: 0, created_at: 1, updated_at: 1 }).execute();
    await (db as any).insertInto('saved_views').values({ id: 'v1', user_id: 'u1', name: 'Mine', filter: '{}', sort: null, created_at: 1, updated_at: 1 }).execute();
    expect(await migrateToLatest(handle)).toContain('0130_shared_views');
    await db.insertInto('saved_views').values({ id: 'v2', user_id: 'u1', name: 'Team', filter: '{}', sort: 'due', shared: 1, created_at: 2, updated_at: 2 }).execute();
    const rows = await db.selectFrom('saved_views').select(['id', 'shared']).orderBy('id').execute();
    expect(rows.map((r) => [r.id, Number(r.shared)])).toEqual([['v1', 0], ['v2', 1]]);
  });
});
