import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncProgress } from '../../../shared/ipc';
import { DATABASES, startTestServer, type TestServer } from '../../../backend/test-support/harness';
import { helpdeskFixture, type HelpdeskFixture } from '../../../backend/test-support/helpdesk-fixture';
import { cuttingProxy, type CuttingProxy } from '../test-support/cutting-proxy';
import { coreStack } from '../test-support/stack';

const PASSWORD = 'a-long-test-password-1';
const SYNCED = ['tickets', 'comments', 'ticket_events', 'queues', 'users', 'alerts', 'silences', 'incidents', 'runbooks', 'jobs', 'saved_views'];

/** Everything a sync leaves in a cache file: rows (without the local rowid), the schema and its indexes, the sync meta. */
function dump(dir: string) {
  const db = new Database(path.join(dir, 'cache.db'), { readonly: true });
  try {
    const rows = Object.fromEntries(
      SYNCED.map((t) => [t, (db.prepare(`SELECT * FROM ${t} ORDER BY id`).all() as Record<string, unknown>[]).map(({ rid: _rid, ...r }) => r)]),
    );
    const schema = db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all();
    const meta = Object.fromEntries((db.prepare("SELECT key, value FROM meta WHERE key NOT IN ('sync.lastSyncedAt')").all() as { key: string; value: string }[]).map((m) => [m.key, m.value]));
    const fts = ['vpn', 'printer', 'snapshot'].map((w) => db.prepare('SELECT count(*) AS n FROM tickets_fts WHERE tickets_fts MATCH ?').get(w));
    return { rows, schema, meta, fts };
  } finally {
    db.close();
  }
}

describe.each(DATABASES)('snapshot initial sync on %s', (kind) => {
  let server: TestServer;
  let f: HelpdeskFixture;
  let proxy: CuttingProxy;
  let email: string;

  beforeAll(async () => {
    server = await startTestServer(kind, { env: { LOGIN_IP_MAX_PER_MINUTE: '100000' } });
    f = await helpdeskFixture(server);
    email = (await server.api('GET', '/api/v1/me', { token: f.agentA.accessToken })).body.email;
    // Enough records that the compressed stream spans many TCP chunks and many cache batches.
    for (let i = 0; i < 120; i++) {
      const t = await f.createTicket(f.agentA.accessToken, { subject: `VPN ${i} drops`, description: randomBytes(900).toString('hex') });
      await server.api('POST', `/api/v1/tickets/${t.id}/comments`, { token: f.agentA.accessToken, body: { body: `printer note ${i} ${randomBytes(200).toString('hex')}`, visibility: i % 2 ? 'public' : 'internal' } });
      if (i % 10 === 0) await server.api('PATCH', `/api/v1/tickets/${t.id}`, { token: f.agentA.accessToken, body: { priority: 'critical', version: t.version } });
      if (i % 40 === 1) await server.api('PATCH', `/api/v1/tickets/${t.id}`, { token: f.admin.accessToken, body: { queueId: f.q2.id, version: t.version } });
    }
    const other = await f.createTicket(f.admin.accessToken, { queueId: f.q2.id, subject: 'Database queue only' });
    await server.api('POST', `/api/v1/tickets/${other.id}/comments`, { token: f.admin.accessToken, body: { body: 'database secret', visibility: 'internal' } });
    const view = await server.api<{ id: string }>('POST', '/api/v1/views', { token: f.agentA.accessToken, body: { name: 'Gone', filter: {} } });
    await server.api('DELETE', `/api/v1/views/${view.body.id}`, { token: f.agentA.accessToken });
    await server.api('POST', '/api/v1/views', { token: f.agentA.accessToken, body: { name: 'Mine', filter: { status: ['open'] } } });
    proxy = await cuttingProxy(server.url, '/api/v1/sync/snapshot');
  }, 180_000);
  afterAll(async () => {
    await proxy?.close();
    await server?.dispose();
  });

  it('leaves the same cache as the change-feed path, with a change made during the snapshot arriving by delta', async () => {
    const feed = await coreStack(server.url, email, PASSWORD, { snapshot: false });
    await feed.sync.run();
    const snap = await coreStack(proxy.url, email, PASSWORD, { snapshotBatch: 25 });
    const steps: SyncProgress[] = [];
    snap.sync.on('progress', (p: SyncProgress) => steps.push({ ...p }));
    proxy.set({ hold: true });
    const running = snap.sync.run();
    await proxy.held();
    // The snapshot's cursor is taken; this change is after it and must come by the delta that follows.
    const target = feed.cache.tickets.list({ queueId: f.q1.id }, { field: 'number', dir: 'asc' }, 0, 1, null).items[0]!;
    const during = await server.api('PATCH', `/api/v1/tickets/${target.id}`, { token: f.agentA.accessToken, body: { subject: 'Renamed during the snapshot', version: target.version } });
    expect(during.status).toBe(200);
    proxy.release();
    await running;
    await feed.sync.run();

    expect(proxy.requests).toHaveLength(1);
    expect(snap.cache.tickets.detail({ id: target.id })!.ticket.subject).toBe('Renamed during the snapshot');
    expect(snap.cache.syncCursor).toBe(feed.cache.syncCursor);
    const a = dump(feed.dir);
    const b = dump(snap.dir);
    expect(b.rows).toEqual(a.rows);
    expect(b.schema).toEqual(a.schema);
    expect(b.meta).toEqual(a.meta);
    expect(b.fts).toEqual(a.fts);
    expect(a.rows.tickets!.length).toBeGreaterThan(100);
    expect(JSON.stringify(b.rows)).not.toContain('database secret');
    expect(b.rows.tickets!.every((t) => t.queue_id === f.q1.id)).toBe(true);
    // Honest progress: records against the server's total, then the index build, then idle.
    const during_ = steps.filter((p) => p.step === 'snapshot');
    expect(during_.length).toBeGreaterThan(5);
    expect(during_.every((p) => p.total !== null && p.done <= p.total)).toBe(true);
    expect(during_[during_.length - 1]!.done).toBe(during_[during_.length - 1]!.total);
    expect(steps.some((p) => p.step === 'indexing')).toBe(true);
    expect(snap.sync.status()).toMatchObject({ phase: 'idle', error: null });
    feed.close();
    snap.close();
  }, 60_000);

  it('a connection killed mid-snapshot leaves whole batches and cursor 0; the next sync resumes after them', async () => {
    const feed = await coreStack(server.url, email, PASSWORD, { snapshot: false });
    await feed.sync.run();
    const snap = await coreStack(proxy.url, email, PASSWORD, { snapshotBatch: 10 });
    proxy.requests.length = 0;
    proxy.set({ cutAfter: 60_000 });
    await snap.sync.run();
    expect(snap.sync.status()).toMatchObject({ phase: 'idle' });
    expect(snap.sync.status().error).toMatch(/snapshot stream/);
    const partial = snap.cache.snapshotProgress()!;
    expect(snap.cache.syncCursor).toBe(0);
    expect(partial.done).toBeGreaterThan(0);
    // Consistent: every cached ticket is a whole record exactly as the finished feed path has it.
    const cut = dump(snap.dir).rows.tickets!;
    const full = new Map(dump(feed.dir).rows.tickets!.map((t) => [t.id, t]));
    expect(cut.length).toBeGreaterThan(0);
    expect(cut.length).toBeLessThan(full.size);
    for (const t of cut) expect(t).toEqual(full.get(t.id as string));

    proxy.set({});
    await snap.sync.run();
    expect(proxy.requests).toHaveLength(2);
    expect(proxy.requests[1]).toContain(`at=${partial.at}`);
    expect(proxy.requests[1]).toContain(`after=${partial.after}`);
    await feed.sync.run();
    const a = dump(feed.dir);
    const b = dump(snap.dir);
    expect(b.rows).toEqual(a.rows);
    expect(b.schema).toEqual(a.schema);
    expect(b.meta).toEqual(a.meta);
    expect(snap.cache.snapshotProgress()).toBeNull();
    feed.close();
    snap.close();
  }, 60_000);

  it('a server without the snapshot route gets the change-feed path', async () => {
    const feed = await coreStack(server.url, email, PASSWORD, { snapshot: false });
    await feed.sync.run();
    const old = await coreStack(proxy.url, email, PASSWORD);
    proxy.requests.length = 0;
    proxy.set({ rewrite: '/api/v1/sync/no-such-route' });
    await old.sync.run();
    expect(proxy.requests).toHaveLength(1);
    expect(old.sync.status()).toMatchObject({ phase: 'idle', error: null });
    expect(dump(old.dir).rows).toEqual(dump(feed.dir).rows);
    expect(old.cache.syncCursor).toBe(feed.cache.syncCursor);
    proxy.set({});
    feed.close();
    old.close();
  }, 60_000);
});
