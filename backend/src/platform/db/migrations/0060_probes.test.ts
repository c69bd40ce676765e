import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest } from '../migrate';

describe.each(DATABASES)('migration 0060 (probes) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('creates probes (unique names) and their results, deleted with the probe', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    expect(await migrateToLatest(handle)).toContain('0060_probes');
    const db = handle.db;
    const row = { id: 'p1', name: 'web', kind: 'http', target: 'http://127.0.0.1/', settings: '{}', interval_seconds: 60, timeout_ms: 10_000, retries: 0, for_seconds: 0, severity: 'high', secret: null, next_run_at: 1, created_at: 1, updated_at: 1 };
    await db.insertInto('probes').values(row).execute();
    await expect(db.insertInto('probes').values({ ...row, id: 'p2' }).execute()).rejects.toThrow(/unique|duplicate/i);
    const stored = await db.selectFrom('probes').selectAll().executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ state: 'pending', paused: 0, failures: 0 });
    await db.insertInto('probe_results').values({ probe_id: 'p1', at: 5, success: 1, latency_ms: 1.25, message: 'HTTP 200', tls_expires_at: null }).execute();
    expect(Number((await db.selectFrom('probe_results').select('latency_ms').executeTakeFirstOrThrow()).latency_ms)).toBe(1.25);
    await db.deleteFrom('probes').where('id', '=', 'p1').execute();
    expect(await db.selectFrom('probe_results').selectAll().execute()).toEqual([]);
  });
});
