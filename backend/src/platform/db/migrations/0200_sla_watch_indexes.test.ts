import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest } from '../migrate';

describe.each(DATABASES)('migration 0200 (SLA watch indexes) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('keeps only running, unanswered, unbreached timers in the watch indexes', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    expect(await migrateToLatest(handle)).toContain('0200_sla_watch_indexes');
    if (kind === 'sqlite') {
      // SQLite refuses INDEXED BY when the query's WHERE does not imply the index's: a scan that
      // could meet answered or paused tickets cannot use the index at all.
      const plan = (where: string) => sql.raw(`explain query plan select id from tickets indexed by tickets_response_watch where ${where}`).execute(handle!.db);
      const base = `status in ('new', 'open') and response_breached_at is null and response_due_at <= 1`;
      await expect(plan(base)).rejects.toThrow(/no query solution/);
      await expect(plan(`${base} and first_response_at is null`)).rejects.toThrow(/no query solution/);
      expect(JSON.stringify((await plan(`${base} and first_response_at is null and sla_paused_at is null`)).rows)).toContain('tickets_response_watch');
      const resolution = (where: string) => sql.raw(`explain query plan select id from tickets indexed by tickets_resolution_watch where ${where}`).execute(handle!.db);
      await expect(resolution(`status in ('new', 'open') and resolution_breached_at is null and resolution_due_at <= 1`)).rejects.toThrow(/no query solution/);
      expect(JSON.stringify((await resolution(`status in ('new', 'open') and resolution_breached_at is null and resolution_due_at <= 1 and sla_paused_at is null`)).rows)).toContain('tickets_resolution_watch');
      const warn = (where: string) => sql.raw(`explain query plan select id from tickets indexed by tickets_response_warn_watch where ${where}`).execute(handle!.db);
      const unwarned = `status in ('new', 'open') and response_warned_at is null and response_warn_at <= 1`;
      await expect(warn(unwarned)).rejects.toThrow(/no query solution/);
      expect(JSON.stringify((await warn(`${unwarned} and response_breached_at is null and first_response_at is null and sla_paused_at is null`)).rows)).toContain('tickets_response_warn_watch');
    } else {
      const defs = await sql<{ indexname: string; indexdef: string }>`select indexname, indexdef from pg_indexes where tablename = 'tickets' and indexname like '%_watch'`.execute(handle.db);
      const def = (name: string) => defs.rows.find((r) => r.indexname === name)?.indexdef ?? '';
      expect(def('tickets_response_watch')).toMatch(/first_response_at IS NULL/);
      expect(def('tickets_response_watch')).toMatch(/sla_paused_at IS NULL/);
      expect(def('tickets_resolution_watch')).toMatch(/sla_paused_at IS NULL/);
      expect(def('tickets_response_warn_watch')).toMatch(/response_breached_at IS NULL.*first_response_at IS NULL|first_response_at IS NULL.*response_breached_at IS NULL/);
      expect(def('tickets_resolution_warn_watch')).toMatch(/resolution_breached_at IS NULL/);
    }
  });
});
