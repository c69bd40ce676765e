import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest } from '../migrate';

describe.each(DATABASES)('migration 0090 (scrape targets) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('creates scrape targets, one per job and instance', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    expect(await migrateToLatest(handle)).toContain('0090_scrape_targets');
    const db = handle.db;
    const row = { id: 't1', job: 'node', url: 'http://127.0.0.1:9100/metrics', instance: '127.0.0.1:9100', interval_seconds: 15, timeout_ms: 10_000, sample_limit: 10_000, labels: '{}', source: 'app', next_run_at: 1, last_scrape_at: null, last_duration_ms: null, last_samples: null, last_error: null, created_at: 1, updated_at: 1 };
    await db.insertInto('scrape_targets').values(row).execute();
    await expect(db.insertInto('scrape_targets').values({ ...row, id: 't2' }).execute()).rejects.toThrow(/unique|duplicate/i);
    await db.insertInto('scrape_targets').values({ ...row, id: 't3', job: 'postgres' }).execute();
    const stored = await db.selectFrom('scrape_targets').selectAll().where('id', '=', 't1').executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ state: 'pending', paused: 0, source: 'app' });
    await db.updateTable('scrape_targets').set({ last_duration_ms: 12.5 }).where('id', '=', 't1').execute();
    expect(Number((await db.selectFrom('scrape_targets').select('last_duration_ms').where('id', '=', 't1').executeTakeFirstOrThrow()).last_duration_ms)).toBe(12.5);
  });
});
