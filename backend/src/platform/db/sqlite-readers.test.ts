import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from './connect';
import { migrateToLatest } from './migrate';

// A query that keeps SQLite busy for a while: counts to N in a recursive CTE.
const SLOW = sql<{ n: number }>`with recursive c(x) as (select 1 union all select x + 1 from c where x < 4000000) select count(*) as n from c`;

describe('SQLite reader threads', () => {
  const open: DatabaseHandle[] = [];
  afterEach(async () => {
    for (const h of open.splice(0)) await h.close();
  });
  const database = async (readers = 2) => {
    const h = openDatabase(`sqlite:${path.join(tempDir(), 'ops.db')}`, { sqliteReaders: readers });
    open.push(h);
    await migrateToLatest(h);
    return h;
  };

  it('keep a process alive while a query is in flight or the database is closing, as the checkpoint thread does (a CLI command reads, closes, then answers)', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'ops.db');
    await (await database()).db.insertInto('queues').values({ id: 'q1', name: 'Service Desk', created_at: 1, updated_at: 1 } as never).execute();
    const h = openDatabase(`sqlite:${file}`);
    await migrateToLatest(h);
    await h.close();
    const script = path.join(dir, 'read.mts');
    writeFileSync(
      script,
      `import { openDatabase } from ${JSON.stringify(path.resolve(import.meta.dirname, 'connect.ts'))};
const h = openDatabase(${JSON.stringify(`sqlite:${file}`)}, { sqliteReaders: Number(process.env.READERS), walCheckpointer: true });
const rows = await h.reader.executeQuery({ sql: ${JSON.stringify(SLOW.compile(h.db).sql)}, parameters: [], query: { kind: 'RawNode' } } as never);
await h.close();
console.log(JSON.stringify(rows.rows));
process.exitCode = 3;`,
    );
    // On reader threads, then on the writer (the checkpoint thread alone).
    for (const readers of ['1', '0']) {
      const run = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, READERS: readers } });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(3);
      expect(JSON.parse(run.stdout)).toEqual([{ n: 4000000 }]);
    }
  });

  it('see every committed write at once, with the same query builder', async () => {
    const h = await database();
    expect(h.reader).not.toBe(h.db);
    await h.db.insertInto('queues').values({ id: 'q1', name: 'Service Desk', created_at: 1, updated_at: 1 } as never).execute();
    const row = await h.reader.selectFrom('queues').select(['id', 'name']).where('id', '=', 'q1').executeTakeFirst();
    expect(row).toEqual({ id: 'q1', name: 'Service Desk' });
    await h.db.updateTable('queues').set({ name: 'Desk' } as never).where('id', '=', 'q1').execute();
    expect((await h.reader.selectFrom('queues').select('name').where('id', '=', 'q1').executeTakeFirstOrThrow()).name).toBe('Desk');
  });

  it('keep a slow query off the event loop: timers keep firing while it runs, unlike on the writer', async () => {
    const h = await database();
    const ticksDuring = async (run: () => Promise<unknown>) => {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      const started = Date.now();
      await run();
      clearInterval(timer);
      return { ticks, ms: Date.now() - started };
    };
    const onWriter = await ticksDuring(() => SLOW.execute(h.db));
    const onReader = await ticksDuring(() => SLOW.execute(h.reader));
    expect((await SLOW.execute(h.reader)).rows[0]!.n).toBe(4_000_000);
    // The writer's synchronous query blocks the loop for its whole run: at most a tick after it.
    expect(onWriter.ticks).toBeLessThanOrEqual(1);
    // On a reader the loop stays free: ticks roughly every 5 ms of the query's run.
    expect(onReader.ticks).toBeGreaterThan(Math.min(10, onReader.ms / 20));
  });

  it.runIf(process.platform === 'linux')('run below the event loop\'s priority, with a 32 MiB page cache each', async () => {
    const nice = (tid: string) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
    const before = new Set(readdirSync('/proc/self/task'));
    const h = await database();
    // Two at once; either reader may claim both, so the readers' threads are then awaited by their nice value.
    const answers = await Promise.all([1, 2].map(() => sql<{ cache_size: number }>`pragma cache_size`.execute(h.reader)));
    expect(answers.map((a) => a.rows)).toEqual([[{ cache_size: -32768 }], [{ cache_size: -32768 }]]);
    expect(nice(String(process.pid))).toBe(0);
    // The threads this pool started: its two readers, lowered (a worker's helper threads are not).
    const lowered = () => readdirSync('/proc/self/task').filter((tid) => !before.has(tid) && nice(tid) === 5);
    for (let i = 0; i < 100 && lowered().length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(lowered()).toHaveLength(2);
  });

  it('take queries from one queue: a query never waits behind a slow one while the other reader is free', async () => {
    const h = await database();
    const order: string[] = [];
    const track = (name: string, q: Promise<unknown>) => q.then(() => order.push(name));
    // The slow query takes one reader; the rest are quick, so the other reader answers them all.
    const slow = track('slow', SLOW.execute(h.reader));
    const quick = [1, 2, 3, 4].map((i) => track(`quick ${i}`, sql`select ${i} as i`.execute(h.reader)));
    await Promise.all([slow, ...quick]);
    expect(order).toEqual(['quick 1', 'quick 2', 'quick 3', 'quick 4', 'slow']);
  });

  it('answer a page as one JSON array text over its first rows, with the last one\'s other columns', async () => {
    const { SqliteReaderPool } = await import('./sqlite-readers');
    const h = await database();
    for (const [id, name] of [['q1', 'Désk "one"'], ['q2', 'Two'], ['q3', 'Three']]) await h.db.insertInto('queues').values({ id, name, created_at: 1, updated_at: 1 } as never).execute();
    const pool = new SqliteReaderPool(h.sqliteFile!, 1);
    try {
      const text = `select json_object('id', id, 'name', name) as json, id, 7 as sort_key from queues order by id limit ?`;
      const page = await pool.page(text, [3], { column: 'json', limit: 2 });
      expect(JSON.parse(page.json)).toEqual([{ id: 'q1', name: 'Désk "one"' }, { id: 'q2', name: 'Two' }]);
      expect(page).toMatchObject({ count: 3, last: { id: 'q2', sort_key: 7 } });
      const none = await pool.page(`select json_object('id', id) as json, id from queues where id = ?`, ['none'], { column: 'json', limit: 2 });
      expect([none.json, none.count, none.last]).toEqual(['[]', 0, null]);
      await expect(pool.page('select * from no_such_table', [], { column: 'json', limit: 2 })).rejects.toThrow('no such table');
    } finally {
      await pool.close();
    }
  });

  it('refuse writes and transactions, with a clear error', async () => {
    const h = await database();
    await expect(h.reader.insertInto('queues').values({ id: 'q2', name: 'X', created_at: 1, updated_at: 1 } as never).execute()).rejects.toThrow(/only runs queries that return rows|readonly/);
    await expect(h.reader.transaction().execute(async () => undefined)).rejects.toThrow('do not run transactions');
  });

  it('answer errors from SQL as errors and keep serving', async () => {
    const h = await database();
    await expect(sql`select * from no_such_table`.execute(h.reader)).rejects.toThrow('no such table');
    expect((await sql<{ one: number }>`select 1 as one`.execute(h.reader)).rows).toEqual([{ one: 1 }]);
  });

  it('are not used for an in-memory database or with none configured', async () => {
    const mem = openDatabase('sqlite::memory:', { sqliteReaders: 2 });
    open.push(mem);
    expect(mem.reader).toBe(mem.db);
    const none = await database(0);
    expect(none.reader).toBe(none.db);
  });
});

describe('identical pages waiting for a reader', () => {
  it('share one run that starts after each of them asked, built once; a page a reader has already started is asked anew', async () => {
    const { SqliteReaderPool } = await import('./sqlite-readers');
    const h = openDatabase(`sqlite:${path.join(tempDir(), 'ops.db')}`);
    await migrateToLatest(h);
    const pool = new SqliteReaderPool(h.sqliteFile!, 1);
    const inside = pool as unknown as { inFlight: Map<number, unknown>; running: Int32Array };
    const startedOne = async () => {
      for (let i = 0; i < 200 && !inside.running[0]; i++) await new Promise((r) => setTimeout(r, 10));
      expect(inside.running[0]).not.toBe(0);
    };
    const addQueue = (id: string) => h.db.insertInto('queues').values({ id, name: id, created_at: 1, updated_at: 1 } as never).execute();
    const shape = { column: 'json', limit: 1 };
    const compiled: string[] = [];
    const names = (like: string) => () => {
      compiled.push(like);
      return { sql: `select json_group_array(id) as json from (select id from queues where name like ? order by id)`, parameters: [like] };
    };
    try {
      // The only reader is busy: the pages below wait.
      const slow = pool.query(SLOW.compile(h.db).sql, []);
      await startedOne();
      const first = pool.sharedPage('q', shape, names('q%'));
      await addQueue('q1');
      // Asked after the write: it joins the waiting page, whose run has not started, so it sees q1 too.
      const second = pool.sharedPage('q', shape, names('q%'));
      const other = pool.sharedPage('x', shape, names('x%'));
      const unshared = pool.page(names('q%')().sql, ['q%'], shape);
      const nothing = pool.sharedPage('none', shape, () => null);
      const failing = () => ({ sql: 'select * from no_such_table', parameters: [] });
      const broken = [pool.sharedPage('-', shape, failing), pool.sharedPage('-', shape, failing)];
      // slow, the q% page once, the x% page, the q% page asked unshared, the failing page once
      expect(inside.inFlight.size).toBe(5);
      expect(compiled).toEqual(['q%', 'x%', 'q%']);
      await slow;
      const [a, b, c, d] = await Promise.all([first, second, other, unshared]);
      expect(JSON.parse(a!.json)).toEqual([['q1']]);
      expect(b).toBe(a);
      expect(d).toEqual(a);
      expect(JSON.parse(c!.json)).toEqual([[]]);
      expect(await nothing).toBeNull();
      for (const p of broken) await expect(p).rejects.toThrow('no such table');
      expect(inside.inFlight.size).toBe(0);

      // A page that is running read its snapshot before a later caller asked: that caller gets a run of its own.
      const slowPage = () => ({
        sql: `with recursive c(x) as (select 1 union all select x + 1 from c where x < 4000000) select json_object('n', count(*), 'queues', (select count(*) from queues where name like ?)) as json from c`,
        parameters: ['q%'],
      });
      const running = pool.sharedPage('slow', shape, slowPage);
      await startedOne();
      await addQueue('q2');
      const later = pool.sharedPage('slow', shape, slowPage);
      expect(inside.inFlight.size).toBe(2);
      expect(JSON.parse((await running)!.json)).toEqual([{ n: 4_000_000, queues: 1 }]);
      expect(JSON.parse((await later)!.json)).toEqual([{ n: 4_000_000, queues: 2 }]);
    } finally {
      await pool.close();
      await h.close();
    }
  }, 30_000);

  it('each run on its own when sharing is off', async () => {
    const { SqliteReaderPool } = await import('./sqlite-readers');
    const h = openDatabase(`sqlite:${path.join(tempDir(), 'ops.db')}`);
    await migrateToLatest(h);
    const pool = new SqliteReaderPool(h.sqliteFile!, 1, { sharePages: false });
    const inside = pool as unknown as { inFlight: Map<number, unknown> };
    try {
      const slow = pool.query(SLOW.compile(h.db).sql, []);
      const page = () => pool.sharedPage('same', { column: 'json', limit: 1 }, () => ({ sql: `select json_array(1) as json`, parameters: [] }));
      const pages = [page(), page(), page()];
      expect(inside.inFlight.size).toBe(4);
      await slow;
      for (const p of await Promise.all(pages)) expect(p!.json).toBe('[[1]]');
    } finally {
      await pool.close();
      await h.close();
    }
  });
});

describe('a reader that dies', () => {
  it('fails only the query it held; the queries no reader had claimed are answered by the others', async () => {
    const { SqliteReaderPool } = await import('./sqlite-readers');
    const h = openDatabase(`sqlite:${path.join(tempDir(), 'ops.db')}`);
    await migrateToLatest(h);
    const pool = new SqliteReaderPool(h.sqliteFile!, 2);
    const inside = pool as unknown as { readers: { terminate(): Promise<number> }[]; running: Int32Array };
    try {
      const slowSql = SLOW.compile(h.db).sql;
      const slow = [1, 2].map(() => pool.query(slowSql, []).then((rows) => ({ rows }), (err: Error) => ({ err: err.message })));
      // Both readers hold a slow query before the quick ones are posted, so no reader has claimed those.
      for (let i = 0; i < 200 && !(inside.running[0] && inside.running[1]); i++) await new Promise((r) => setTimeout(r, 10));
      const quick = [1, 2, 3].map((i) => pool.query('select ? as i', [i]));
      await inside.readers[0]!.terminate();
      expect(await Promise.all(quick)).toEqual([[{ i: 1 }], [{ i: 2 }], [{ i: 3 }]]);
      const outcomes = await Promise.all(slow);
      expect(outcomes.filter((o) => 'err' in o)).toEqual([{ err: 'SQLite reader thread exited (1)' }]);
      expect(outcomes.filter((o) => 'rows' in o)).toEqual([{ rows: [{ n: 4_000_000 }] }]);
      expect(await pool.query('select 7 as seven', [])).toEqual([{ seven: 7 }]);
    } finally {
      await pool.close();
      await h.close();
    }
  });
});

describe('a query that outlives a lap of the claim table', () => {
  it('keeps its claim while later queries reuse the other slots: every query is answered, and its reader dying still fails it', async () => {
    const { SqliteReaderPool } = await import('./sqlite-readers');
    const h = openDatabase(`sqlite:${path.join(tempDir(), 'ops.db')}`);
    await migrateToLatest(h);
    // Four claim slots: the slow query holds one while forty quick ones cycle through the table.
    const pool = new SqliteReaderPool(h.sqliteFile!, 2, { claimSlots: 4 });
    const inside = pool as unknown as { readers: { terminate(): Promise<number> }[]; running: Int32Array };
    try {
      const slow = pool.query(SLOW.compile(h.db).sql, []).then(
        () => 'answered',
        (err: Error) => err.message,
      );
      for (let i = 0; i < 200 && !(inside.running[0] || inside.running[1]); i++) await new Promise((r) => setTimeout(r, 10));
      const holder = inside.running[0] ? 0 : 1;
      const answers: unknown[] = [];
      for (let i = 0; i < 40; i++) answers.push(await pool.query('select ? as i', [i]));
      expect(answers).toEqual(Array.from({ length: 40 }, (_, i) => [{ i }]));
      // Had a later query taken the slow one's slot, the pool would no longer know the dead reader held it.
      await inside.readers[holder]!.terminate();
      expect(await slow).toBe('SQLite reader thread exited (1)');
      expect(await pool.query('select 7 as seven', [])).toEqual([{ seven: 7 }]);
    } finally {
      await pool.close();
      await h.close();
    }
  }, 30_000);
});

describe('a reader pool that cannot open its database', () => {
  it('fails queries with the reason after a few respawns instead of spawning forever', async () => {
    const { SqliteReaderPool } = await import('./sqlite-readers');
    const pool = new SqliteReaderPool(path.join(tempDir(), 'missing.db'), 1);
    try {
      let last: unknown;
      for (let i = 0; i < 20 && !String(last).includes('keep failing'); i++) {
        last = await pool.query('select 1', []).catch((e: unknown) => e);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(String(last)).toMatch(/SQLite reader threads keep failing: .*(unable to open|does not exist|directory)/i);
    } finally {
      await pool.close();
    }
  });
});
