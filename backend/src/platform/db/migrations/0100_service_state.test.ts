import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { DbDesiredStore } from '../../../services/desired-store';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest } from '../migrate';

describe.each(DATABASES)('migration 0100 (service state) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('keeps one desired replica count per service, the last write winning', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    expect(await migrateToLatest(handle)).toContain('0100_service_state');
    let t = 1000;
    const store = new DbDesiredStore(handle.db, { now: () => t++ });
    expect(await store.get('celery')).toBeUndefined();
    await store.set('celery', 'docker', 0);
    await store.set('celery', 'docker', 3);
    await store.set('web', 'docker', 0);
    expect(await store.get('celery')).toBe(3);
    expect(await handle.db.selectFrom('service_state').selectAll().orderBy('service').execute()).toEqual([
      { service: 'celery', driver: 'docker', desired_replicas: 3, updated_at: 1001 },
      { service: 'web', driver: 'docker', desired_replicas: 0, updated_at: 1002 },
    ]);
  });
});
