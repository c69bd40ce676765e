import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Server } from 'socket.io';
import { AlertChanges } from '../../backend/src/alerts/alert-changes';
import { EventHub } from '../../backend/src/platform/realtime/event-hub';

/**
 * The reference for the alerts fan-out: node:http + better-sqlite3 + socket.io with nothing else.
 * POST /api/v1/integrations/generic stores the alert (one insert, WAL, synchronous NORMAL, as
 * OpsDesk's SQLite) and announces it to every client paced as OpsDesk paces `alert.changes` (the
 * same AlertChanges, over a bare EventHub); clients get `ready` on connect. GET /bench/fired
 * answers the [seq, sentAt] of the alerts stored since the last call.
 */
const db = new Database(path.join(mkdtempSync(path.join(os.tmpdir(), 'opsdesk-bench-bare-fanout-')), 'bare.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('create table alerts (seq integer primary key, name text not null, labels text not null, at integer not null)');
const insert = db.prepare('insert into alerts (name, labels, at) values (?, ?, ?)');
let fired: [number, number][] = [];

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/bench/fired') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(fired));
    fired = [];
    return;
  }
  if (req.method !== 'POST') return void res.writeHead(200).end('ok');
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const alert = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { name: string; labels: Record<string, string> };
    const seq = Number(insert.run(alert.name, JSON.stringify(alert.labels), Date.now()).lastInsertRowid);
    fired.push([seq, Number(alert.labels.sentAt)]);
    changes.changed(seq);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ received: 1, fired: 1, updated: 0, resolved: 0, ids: [String(seq)] }));
  });
});
const io = new Server(server, { serveClient: false });
io.on('connection', (socket) => void socket.emit('ready', {}));
const hub = new EventHub();
hub.attach((event) => void io.emit(event.type, event));
const changes = new AlertChanges(hub, { now: () => Date.now() });
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
