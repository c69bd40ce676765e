import path from 'node:path';
import { freePort } from '../backend/test/postgres-cluster';
import { load, startServerProcess, stop } from './lib/measure';
const root = path.resolve(import.meta.dirname, '..');
const port = await freePort();
const server = await startServerProcess(['--import', 'tsx', path.join(root, 'backend/src/main.ts')], { DATA_DIR: '/tmp/seed50k', LOG_LEVEL: 'error', PORT: String(port) }, `http://127.0.0.1:${port}/health/`);
const base = `http://127.0.0.1:${port}`;
const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'prof@example.com', password: 'measure-lists-fast-42' }) });
const token = ((await res.json()) as { accessToken: string }).accessToken;
const h = { authorization: `Bearer ${token}` };
const queues = (await (await fetch(`${base}/api/v1/queues`, { headers: h })).json()) as { id: string; name: string }[];
const q = queues.find((x) => x.name === 'Service Desk')!;
const list = (await (await fetch(`${base}/api/v1/tickets?queue=${q.id}&status=open&limit=50`, { headers: h })).json()) as { items: { id: string }[] };
for (const [name, p] of [
  ['me', '/api/v1/me'],
  ['queues', '/api/v1/queues'],
  ['ticket by id', `/api/v1/tickets/${list.items[0]!.id}`],
  ['list limit 1', `/api/v1/tickets?queue=${q.id}&status=open&limit=1`],
  ['list limit 50', `/api/v1/tickets?queue=${q.id}&status=open&limit=50`],
  ['list limit 50 no status', `/api/v1/tickets?queue=${q.id}&limit=50`],
] as const) {
  const a = await load({ url: `${base}${p}`, headers: h, connections: 1, duration: 3 });
  console.log(name.padEnd(28), a.reqPerSec, 'p50', a.p50, 'p99', a.p99);
}
await stop(server);
