import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest } from '../migrate';

describe.each(DATABASES)('migration 0045 (server secrets) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('keeps one value per name: the first writer wins', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    expect(await migrateToLatest(handle)).toContain('0045_server_secrets');
    const put = (value: string) =>
      handle!.db.insertInto('server_secrets').values({ name: 'jwt', value, created_at: 1 }).onConflict((oc) => oc.column('name').doNothing()).execute();
    await put('first-instance-secret');
    await put('second-instance-secret');
    expect(await handle.db.selectFrom('server_secrets').selectAll().execute()).toEqual([{ name: 'jwt', value: 'first-instance-secret', created_at: 1 }]);
  });
});
