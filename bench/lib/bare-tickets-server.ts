import http from 'node:http';
import Database from 'better-sqlite3';

/**
 * The reference for the tickets benchmark: node:http + better-sqlite3 running the listing query
 * OpsDesk runs for an agent's GET /api/v1/tickets?queue=…&status=…&limit=50, membership subquery
 * included (no auth, no validation, rows sent as they come).
 */
const db = new Database(process.env.DB_FILE!, { readonly: true });
db.pragma('journal_mode = WAL');
const stmt = db.prepare(
  `select *, updated_at as sort_key from tickets
   where queue_id in (select queue_id from queue_members where user_id = ?) and queue_id = ? and status in (?)
   order by updated_at desc, number desc limit ?`,
);
const userId = process.env.USER_ID!;
http
  .createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const rows = stmt.all(userId, url.searchParams.get('queue'), url.searchParams.get('status'), Number(url.searchParams.get('limit') ?? 50) + 1);
    const body = JSON.stringify({ items: rows.slice(0, 50), nextCursor: null });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  })
  .listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
