import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest } from '../migrate';

describe.each(DATABASES)('migration 0023 (alert list indexes) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('adds the open-alert severity index; on SQLite the order index covers the filtered columns', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    expect(await migrateToLatest(handle)).toContain('0023_alerts_list_indexes');
    if (handle.sqlite) {
      const names = (handle.sqlite.prepare(`select name from pragma_index_list('alerts')`).all() as { name: string }[]).map((r) => r.name);
      expect(names).toEqual(expect.arrayContaining(['alerts_open_severity', 'alerts_open_order']));
      const cols = (handle.sqlite.prepare(`select name from pragma_index_info('alerts_open_order')`).all() as { name: string }[]).map((r) => r.name);
      expect(cols).toEqual(['starts_at', 'id', 'source', 'silenced', 'name', 'summary', 'labels']);
      const plan = (q: string) => (handle!.sqlite!.prepare(`explain query plan ${q}`).all() as { detail: string }[]).map((r) => r.detail).join('; ');
      expect(plan(`select * from alerts where status <> 'resolved' and severity in ('critical') order by starts_at desc, id desc limit 101`)).toContain('alerts_open_severity');
      expect(plan(`select * from alerts where status <> 'resolved' and name like '%x%' order by starts_at desc, id desc limit 101`)).toContain('alerts_open_order');
    } else {
      const rows = await sql<{ indexname: string }>`select indexname from pg_indexes where tablename = 'alerts'`.execute(handle.db);
      expect(rows.rows.map((r) => r.indexname)).toEqual(expect.arrayContaining(['alerts_open_severity', 'alerts_open_order']));
    }
  });
});
