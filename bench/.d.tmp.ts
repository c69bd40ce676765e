import path from 'node:path';
import { freePort } from '../backend/test/postgres-cluster';
import { load, startProcess, startServerProcess, stop } from './lib/measure';
const root = path.resolve(import.meta.dirname, '..');
const env = { DATA_DIR: '/tmp/seed50k', LOG_LEVEL: 'error' };
const port = await freePort();
const server = await startServerProcess(['--import', 'tsx', path.join(root, 'backend/src/main.ts')], { ...env, PORT: String(port) }, `http://127.0.0.1:${port}/health/`);
const base = `http://127.0.0.1:${port}`;
const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'prof@example.com', password: 'measure-lists-fast-42' }) });
const token = ((await res.json()) as { accessToken: string }).accessToken;
const queues = (await (await fetch(`${base}/api/v1/queues`, { headers: { authorization: `Bearer ${token}` } })).json()) as { id: string; name: string }[];
const q = queues.find((x) => x.name === 'Service Desk')!;
const barePort = await freePort();
const bare = await startProcess(['--import', 'tsx', path.join(root, 'bench/lib/bare-tickets-server.ts')], { PORT: String(barePort), DB_FILE: '/tmp/seed50k/opsdesk.db', QUEUES: queues.map((x) => x.id).join(',') }, 'listening');
const p = `/api/v1/tickets?queue=${q.id}&status=open&limit=50`;
for (const c of [1, 50]) {
  const a = await load({ url: `${base}${p}`, headers: { authorization: `Bearer ${token}` }, connections: c, duration: 5 });
  const b = await load({ url: `http://127.0.0.1:${barePort}${p}`, connections: c, duration: 5 });
  const h = await load({ url: `${base}/health/live`, connections: c, duration: 5 });
  console.log(`c=${c} ops`, a.reqPerSec, a.p50, a.p99, '| bare', b.reqPerSec, b.p50, b.p99, '| ops /health/live', h.reqPerSec, h.p50, '| ratio', (a.reqPerSec / b.reqPerSec).toFixed(2));
}
await stop(server);
await stop(bare);
