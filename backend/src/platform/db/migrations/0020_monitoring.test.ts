import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest } from '../migrate';

const alertRow = (id: string, status: string) => ({
  id,
  fingerprint: 'fp-1',
  source: 'generic',
  rule_id: null,
  name: 'x',
  severity: 'low',
  status,
  summary: 'x',
  description: null,
  labels: '{}',
  annotations: '{}',
  value: null,
  count: 1,
  starts_at: 1,
  last_seen_at: 1,
  acked_at: null,
  acked_by: null,
  resolved_at: null,
  resolved_by: null,
  resolve_reason: null,
  silenced: 0,
  silence_id: null,
  generator_url: null,
  escalation_level: -1,
  escalation_round: 0,
  next_escalation_at: null,
  incident_id: null,
  created_at: 1,
  updated_at: 1,
});

describe.each(DATABASES)('migrations 0020-0021 (monitoring) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('allows one open alert per fingerprint, any number of resolved ones', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    const applied = await migrateToLatest(handle);
    expect(applied).toEqual(expect.arrayContaining(['0020_monitoring', '0021_alerts_open_order']));
    const db = handle.db;
    await db.insertInto('alerts').values(alertRow('a1', 'resolved')).execute();
    await db.insertInto('alerts').values(alertRow('a2', 'resolved')).execute();
    await db.insertInto('alerts').values(alertRow('a3', 'firing')).execute();
    await expect(db.insertInto('alerts').values(alertRow('a4', 'acknowledged')).execute()).rejects.toThrow(/unique|UNIQUE/);
    const open = await db.selectFrom('alerts').select('id').where('status', '<>', 'resolved').execute();
    expect(open.map((r) => r.id)).toEqual(['a3']);
  });
});
