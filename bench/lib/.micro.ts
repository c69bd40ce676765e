import Database from 'better-sqlite3';
import { migrateCache } from '../../electron/core/cache/migrations';
for (const withFts of [false, true]) {
  const db = new Database(':memory:');
  migrateCache(db, withFts ? 3 : 1);
  const ins = db.prepare(`INSERT INTO tickets (id, number, subject, description, status, priority, priority_rank, queue_id, requester, requester_email, tags, created_at, updated_at, version) VALUES (?, ?, ?, ?, 'open', 'low', 0, 'q', 'Ana', 'a@x', '[]', 1, ?, 1)`);
  const t = performance.now();
  db.transaction(() => { for (let i = 0; i < 10000; i++) ins.run(`t${i}`, i, `Printer ${i} jammed again on floor`, 'Paper stuck in tray 2, replaced toner. '.repeat(5), i); })();
  console.log(withFts ? 'fts' : 'nofts', Math.round(performance.now() - t), 'ms');
}
{
  const db = new Database(':memory:');
  migrateCache(db, 1);
  const ins = db.prepare(`INSERT INTO tickets (id, number, subject, description, status, priority, priority_rank, queue_id, requester, requester_email, tags, created_at, updated_at, version) VALUES (?, ?, ?, ?, 'open', 'low', 0, 'q', 'Ana', 'a@x', '[]', 1, ?, 1)`);
  db.transaction(() => { for (let i = 0; i < 10000; i++) ins.run(`t${i}`, i, `Printer ${i} jammed again on floor`, 'Paper stuck in tray 2, replaced toner. '.repeat(5), i); })();
  db.exec("CREATE VIRTUAL TABLE tickets_fts USING fts5(subject, description, requester, requester_email, content='tickets', content_rowid='rid', tokenize='unicode61 remove_diacritics 2')");
  let t = performance.now();
  db.exec("INSERT INTO tickets_fts(tickets_fts) VALUES ('rebuild')");
  console.log('rebuild', Math.round(performance.now() - t), 'ms');
  db.exec("CREATE VIRTUAL TABLE f2 USING fts5(subject, description, requester, requester_email, content='tickets', content_rowid='rid')");
  t = performance.now();
  db.exec("INSERT INTO f2(f2) VALUES ('rebuild')");
  console.log('rebuild default tokenizer', Math.round(performance.now() - t), 'ms');
}
