import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from './connect';
import { BACKSTOP_PAGES, startCheckpointer } from './sqlite-checkpointer';

/** Writes ~8 MiB (about 2,000 pages) in 20 transactions, each below the writer's backstop. */
async function writeMegabytes(handle: DatabaseHandle): Promise<void> {
  await sql`create table if not exists filler (id integer primary key, body text not null)`.execute(handle.db);
  const body = 'x'.repeat(4000);
  for (let t = 0; t < 20; t++) {
    await handle.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 100; i++) await sql`insert into filler (body) values (${body})`.execute(trx);
    });
  }
}

async function until(check: () => boolean, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

describe('SQLite WAL checkpoints in a worker thread', () => {
  const dirs: string[] = [];
  const handles: DatabaseHandle[] = [];
  const open = (walCheckpointer: boolean, onConnectionError?: (err: Error) => void) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'opsdesk-checkpoint-'));
    dirs.push(dir);
    const handle = openDatabase(`sqlite:${path.join(dir, 'db.sqlite')}`, { walCheckpointer, onConnectionError });
    handles.push(handle);
    return { handle, file: path.join(dir, 'db.sqlite') };
  };
  afterEach(async () => {
    for (const h of handles.splice(0)) await h.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('copies the WAL into the database while the writer only commits', async () => {
    const errors: Error[] = [];
    const { handle, file } = open(true, (err) => errors.push(err));
    expect(handle.sqlite!.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_PAGES);
    await writeMegabytes(handle);
    // The writer never crossed its backstop, so only the thread can have moved the pages into the file.
    expect(await until(() => statSync(file).size > 7 * 1024 * 1024)).toBe(true);
    const [{ n }] = (await sql<{ n: number }>`select count(*) as n from filler`.execute(handle.db)).rows as [{ n: number }];
    expect(n).toBe(2000);
    expect(errors).toEqual([]);
  });

  it('without it the writer checkpoints inside its commits, as SQLite does by default', async () => {
    const { handle } = open(false);
    expect(handle.sqlite!.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });

  it('a thread that fails hands checkpoints back to the writer and says so', async () => {
    const { handle, file } = open(false);
    const errors: Error[] = [];
    const checkpointer = startCheckpointer(handle.sqlite!, `${file}.missing`, (err) => errors.push(err));
    expect(handle.sqlite!.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_PAGES);
    expect(await until(() => errors.length > 0)).toBe(true);
    expect(handle.sqlite!.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await checkpointer.stop();
  });
});
