import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CACHE_MIGRATIONS, LATEST_CACHE_VERSION, migrateCache } from './migrations';

const tables = (db: Database.Database) => (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe('cache migrations', () => {
  it('are numbered 1..N without gaps', () => {
    expect(CACHE_MIGRATIONS.map((m) => m.version)).toEqual(CACHE_MIGRATIONS.map((_, i) => i + 1));
  });

  it('0001 creates the cached domain tables and the outbox', () => {
    const db = new Database(':memory:');
    expect(migrateCache(db, 1)).toEqual([1]);
    expect(tables(db)).toEqual(expect.arrayContaining(['tickets', 'comments', 'ticket_events', 'queues', 'users', 'alerts', 'incidents', 'runbooks', 'jobs', 'outbox', 'meta']));
    expect(db.pragma('user_version', { simple: true })).toBe(1);
  });

  it('0002 indexes rows that existed before it (seeded at version 1)', () => {
    const db = new Database(':memory:');
    migrateCache(db, 1);
    db.prepare(
      "INSERT INTO tickets (id, number, subject, description, status, priority, priority_rank, requester, requester_email, created_at, updated_at) VALUES ('t1', 1, 'Printer on fire', 'third floor', 'open', 'high', 2, 'Ana', 'ana@example.com', 1, 1)",
    ).run();
    db.prepare("INSERT INTO comments (id, ticket_id, body, created_at) VALUES ('c1', 't1', 'extinguisher requested', 2)").run();
    expect(migrateCache(db, 2)).toEqual([2]);
    expect(db.prepare("SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH 'printer'").all()).toHaveLength(1);
    expect(db.prepare("SELECT rowid FROM comments_fts WHERE comments_fts MATCH 'extinguisher'").all()).toHaveLength(1);
    // Triggers keep it in step afterwards.
    db.prepare("UPDATE tickets SET subject = 'Scanner jammed' WHERE id = 't1'").run();
    expect(db.prepare("SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH 'printer'").all()).toHaveLength(0);
    expect(db.prepare("SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH 'scanner'").all()).toHaveLength(1);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(LATEST_CACHE_VERSION).toBeGreaterThanOrEqual(2);
  });

  it('0003 adds covering indexes that queue page counts use (seeded at version 2)', () => {
    const db = new Database(':memory:');
    migrateCache(db, 2);
    db.prepare(
      "INSERT INTO tickets (id, number, subject, status, priority, priority_rank, queue_id, created_at, updated_at) VALUES ('t1', 1, 's', 'open', 'low', 0, 'q1', 1, 1)",
    ).run();
    expect(migrateCache(db, 3)).toEqual([3]);
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT count(*) FROM tickets WHERE queue_id = 'q1' AND status IN ('new', 'open')").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/COVERING INDEX tickets_queue_status_updated/);
    expect(db.prepare("SELECT count(*) AS n FROM tickets WHERE queue_id = 'q1' AND status = 'open'").get()).toEqual({ n: 1 });
  });

  it('0004 lets a bulk sync defer search indexing, and re-indexes only changed text (seeded at version 3)', () => {
    const db = new Database(':memory:');
    migrateCache(db, 3);
    const insert = db.prepare("INSERT INTO tickets (id, number, subject, status, priority, priority_rank, created_at, updated_at) VALUES (?, ?, ?, 'open', 'low', 0, 1, 1)");
    insert.run('t1', 1, 'Printer on fire');
    expect(migrateCache(db, 4)).toEqual([4]);
    const hits = (q: string) => db.prepare('SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH ?').all(q).length;
    expect(hits('printer')).toBe(1);
    db.prepare("INSERT INTO meta (key, value) VALUES ('fts.deferred', '1')").run();
    insert.run('t2', 2, 'Scanner jammed');
    expect(hits('scanner')).toBe(0);
    db.exec("INSERT INTO tickets_fts(tickets_fts) VALUES ('rebuild'); DELETE FROM meta WHERE key = 'fts.deferred'");
    expect(hits('scanner')).toBe(1);
    db.prepare("UPDATE tickets SET updated_at = 5 WHERE id = 't2'").run();
    db.prepare("UPDATE tickets SET subject = 'Scanner fixed' WHERE id = 't2'").run();
    expect(hits('fixed')).toBe(1);
    expect(db.prepare("INSERT INTO tickets_fts(tickets_fts, rank) VALUES ('integrity-check', 1)").run().changes).toBeGreaterThanOrEqual(0);
  });

  it('0005 gives comments a column for their email facts (source, sender, HTML, delivery)', () => {
    const db = new Database(':memory:');
    expect(migrateCache(db, 4)).toEqual([1, 2, 3, 4]);
    expect(migrateCache(db, 5)).toEqual([5]);
    const cols = (db.prepare("SELECT name FROM pragma_table_info('comments')").all() as { name: string }[]).map((c) => c.name);
    expect(cols).toContain('email');
  });

  it('0008 indexes the outbox for the replay (no payloads read) and its counts, per author', () => {
    const db = new Database(':memory:');
    migrateCache(db, 7);
    expect(migrateCache(db, 8)).toEqual([8]);
    const plan = (q: string) => (db.prepare(`EXPLAIN QUERY PLAN ${q}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan("SELECT id, target_id, state FROM outbox WHERE state IN ('pending', 'sending') AND author_id = 'u1' ORDER BY id LIMIT 200")).toContain('COVERING INDEX outbox_author_state');
    expect(plan("SELECT state, count(*) AS n FROM outbox WHERE state != 'done' AND author_id = 'u1' GROUP BY state")).toContain('COVERING INDEX outbox_author_state');
  });

  it('running again applies nothing', () => {
    const db = new Database(':memory:');
    migrateCache(db);
    expect(migrateCache(db)).toEqual([]);
  });

  it('0006 gives outbox items their author: the user the cache synced for (seeded at version 5)', () => {
    const db = new Database(':memory:');
    migrateCache(db, 5);
    db.prepare("INSERT INTO meta (key, value) VALUES ('sync.userId', 'u-1')").run();
    db.prepare("INSERT INTO outbox (idempotency_key, kind, target_id, payload, summary, created_at) VALUES ('k1', 'ticket.comment', 't1', '{}', 'reply', 1)").run();
    expect(migrateCache(db, 6)).toEqual([6]);
    expect(db.prepare('SELECT author_id FROM outbox').all()).toEqual([{ author_id: 'u-1' }]);
  });

  it('0007 adds attachment metadata columns to tickets and comments (seeded at version 6)', () => {
    const db = new Database(':memory:');
    migrateCache(db, 6);
    expect(migrateCache(db, 7)).toEqual([7]);
    for (const t of ['tickets', 'comments']) {
      expect((db.prepare(`SELECT name FROM pragma_table_info('${t}')`).all() as { name: string }[]).map((c) => c.name)).toContain('attachments');
    }
  });

  it('0009 marks views saved before the server kept them for a one-time upload, and keeps synced ones (seeded at version 8)', () => {
    const db = new Database(':memory:');
    migrateCache(db, 8);
    db.prepare("INSERT INTO saved_views (id, name, data, origin) VALUES ('view-1', 'Printers', '{}', 'local'), ('s1', 'Team', '{}', 'server')").run();
    expect(migrateCache(db, 9)).toEqual([9]);
    expect(db.prepare('SELECT id, origin FROM saved_views ORDER BY id').all()).toEqual([
      { id: 's1', origin: 'server' },
      { id: 'view-1', origin: 'legacy' },
    ]);
  });
});
