import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotEnd, SnapshotHeader, type SnapshotRecord, type SyncChange, type SyncPage } from '../../../shared/api/sync';
import type { Ticket } from '../../../shared/api/tickets';
import { DATABASES, type TestServer } from '../../test-support/harness';
import { startHelpdesk, type HelpdeskFixture } from '../../test-support/helpdesk-fixture';
import { acceptsGzip } from './sync-routes';

/** What applying the change feed from 0 leaves, record by record: entity:id → record (deletes and tombstones drop it). */
async function foldFeed(server: TestServer, token: string): Promise<{ records: Map<string, unknown>; cursor: number }> {
  const records = new Map<string, unknown>();
  let cursor = 0;
  for (;;) {
    const res = await server.api<SyncPage>('GET', `/api/v1/sync/changes?since=${cursor}&limit=500`, { token });
    expect(res.status).toBe(200);
    for (const c of res.body.changes as SyncChange[]) {
      if (c.op === 'delete') records.delete(`${c.entity}:${c.id}`);
      else records.set(`${c.entity}:${c.id}`, c.data);
    }
    cursor = res.body.nextCursor;
    if (res.body.done) return { records, cursor };
  }
}

async function snapshot(server: TestServer, token: string, query = '', acceptEncoding?: string) {
  const res = await fetch(`${server.url}/api/v1/sync/snapshot${query}`, { headers: { authorization: `Bearer ${token}`, ...(acceptEncoding && { 'accept-encoding': acceptEncoding }) } });
  const text = await res.text();
  if (res.status !== 200) return { status: res.status, body: text, header: null, records: [], end: null, encoding: null };
  const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
  return {
    status: res.status,
    encoding: res.headers.get('content-encoding'),
    header: SnapshotHeader.parse(lines[0]),
    records: lines.slice(1, -1) as SnapshotRecord[],
    end: SnapshotEnd.parse(lines[lines.length - 1]),
    body: '',
  };
}

const asMap = (records: SnapshotRecord[]) => new Map(records.map((r) => [`${r.entity}:${r.id}`, r.data]));

describe('the snapshot’s encoding', () => {
  it('is gzip unless the client does not take it', () => {
    expect(acceptsGzip(undefined)).toBe(true);
    expect(acceptsGzip('gzip, deflate, br')).toBe(true);
    expect(acceptsGzip('br;q=1, *;q=0.1')).toBe(true);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip('gzip;q=0, identity')).toBe(false);
    expect(acceptsGzip('')).toBe(false);
  });
});

describe.each(DATABASES)('sync snapshot on %s', (kind) => {
  let server: TestServer;
  let f: HelpdeskFixture;
  let moved: Ticket;
  let goneView: string;

  beforeAll(async () => {
    ({ server, f } = await startHelpdesk(kind));
    for (let i = 0; i < 6; i++) {
      const t = await f.createTicket(f.agentA.accessToken, { subject: `Queue one ${i}` });
      await server.api('POST', `/api/v1/tickets/${t.id}/comments`, { token: f.agentA.accessToken, body: { body: `note ${i}`, visibility: i % 2 ? 'public' : 'internal' } });
      await server.api('PATCH', `/api/v1/tickets/${t.id}`, { token: f.agentA.accessToken, body: { priority: 'high', version: t.version } });
    }
    const secret = await f.createTicket(f.admin.accessToken, { queueId: f.q2.id, subject: 'Database queue only' });
    await server.api('POST', `/api/v1/tickets/${secret.id}/comments`, { token: f.admin.accessToken, body: { body: 'database secret note', visibility: 'internal' } });
    // Moved out of queue 1: agent A's feed ends it with a tombstone, so it is not in A's snapshot.
    moved = await f.createTicket(f.agentA.accessToken, { subject: 'Moving to the database queue' });
    await server.api('PATCH', `/api/v1/tickets/${moved.id}`, { token: f.admin.accessToken, body: { queueId: f.q2.id, version: moved.version } });
    // A deleted record: the feed's delete drops it, so the snapshot never has it.
    const view = await server.api<{ id: string }>('POST', '/api/v1/views', { token: f.agentA.accessToken, body: { name: 'Deleted soon', filter: {} } });
    expect(view.status).toBe(201);
    goneView = view.body.id;
    expect((await server.api('DELETE', `/api/v1/views/${goneView}`, { token: f.agentA.accessToken })).status).toBe(204);
    await server.api('POST', '/api/v1/views', { token: f.agentA.accessToken, body: { name: 'Kept view', filter: {} } });
  }, 120_000);
  afterAll(() => server?.dispose());

  it('streams gzip NDJSON with the cursor it is consistent with, equal to the folded change feed, per role', async () => {
    for (const who of [f.agentA, f.agentB, f.oncall, f.admin]) {
      const feed = await foldFeed(server, who.accessToken);
      const snap = await snapshot(server, who.accessToken);
      expect(snap.encoding).toBe('gzip');
      expect(snap.header).toMatchObject({ kind: 'snapshot', cursor: feed.cursor, after: 0, total: snap.records.length });
      expect(snap.end).toEqual({ kind: 'end', cursor: feed.cursor, count: snap.records.length });
      expect(asMap(snap.records)).toEqual(feed.records);
      // In sequence order, each record once.
      const seqs = snap.records.map((r) => r.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      expect(new Set(snap.records.map((r) => `${r.entity}:${r.id}`)).size).toBe(snap.records.length);
      // Asked for without compression (the desktop and its local backend): the same lines, uncompressed.
      const plain = await snapshot(server, who.accessToken, '', 'identity');
      expect(plain.encoding).toBeNull();
      expect(plain.records).toEqual(snap.records);
    }
  });

  it("never hands an agent another queue's tickets or comments, nor moved-away or deleted ones", async () => {
    const snap = await snapshot(server, f.agentA.accessToken);
    const tickets = snap.records.filter((r) => r.entity === 'ticket').map((r) => r.data as Ticket);
    expect(tickets.length).toBeGreaterThanOrEqual(6);
    expect(tickets.every((t) => t.queueId === f.q1.id)).toBe(true);
    expect(tickets.map((t) => t.id)).not.toContain(moved.id);
    expect(snap.records.some((r) => r.entity === 'saved_view' && r.id === goneView)).toBe(false);
    expect(snap.records.filter((r) => r.entity === 'saved_view').map((r) => (r.data as { name: string }).name)).toEqual(['Kept view']);
    const ids = new Set(tickets.map((t) => t.id));
    const comments = snap.records.filter((r) => r.entity === 'comment').map((r) => r.data as { ticketId: string; body: string });
    expect(comments.length).toBeGreaterThanOrEqual(6);
    expect(comments.every((c) => ids.has(c.ticketId))).toBe(true);
    expect(JSON.stringify(snap.records)).not.toContain('database secret note');
    const admin = await snapshot(server, f.admin.accessToken);
    expect(JSON.stringify(admin.records)).toContain('database secret note');
  });

  it('resumes after a record at the same cursor even when the feed moved on, and refuses a cursor it cannot serve', async () => {
    const full = await snapshot(server, f.agentA.accessToken);
    const cut = full.records[3]!.seq;
    await f.createTicket(f.agentA.accessToken, { subject: 'Written after the snapshot' });
    const rest = await snapshot(server, f.agentA.accessToken, `?at=${full.header!.cursor}&after=${cut}`);
    expect(rest.header).toMatchObject({ cursor: full.header!.cursor, after: cut, total: full.records.length - 4 });
    expect(rest.records).toEqual(full.records.slice(4));
    const ahead = await snapshot(server, f.agentA.accessToken, `?at=${full.header!.cursor + 1000}`);
    expect(ahead.status).toBe(409);
    expect((await snapshot(server, f.agentA.accessToken, '?after=5')).status).toBe(400);
    expect((await fetch(`${server.url}/api/v1/sync/snapshot`)).status).toBe(401);
  });
});
