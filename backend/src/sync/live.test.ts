import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../shared/api/events';
import type { SyncPage } from '../../../shared/api/sync';
import type { Ticket } from '../../../shared/api/tickets';
import { DATABASES, createUserAndLogin, makeApiCaller, startRedis, startTestServer, type TestServer } from '../../test-support/harness';
import { startServer, type RunningServer } from '../app/server';
import { helpdeskFixture, startHelpdesk, type HelpdeskFixture } from '../../test-support/helpdesk-fixture';

function connect(url: string, auth: Record<string, unknown>): Promise<{ socket: Socket; events: LiveEvent[]; resumed: SyncPage[] }> {
  const socket = io(url, { auth, transports: ['websocket'], reconnection: false });
  const events: LiveEvent[] = [];
  const resumed: SyncPage[] = [];
  for (const type of ['ticket.created', 'ticket.updated', 'ticket.commented']) socket.on(type, (e: LiveEvent) => events.push(e));
  socket.on('sync.resume', (p: SyncPage) => resumed.push(p));
  return new Promise((resolve, reject) => {
    socket.once('ready', () => resolve({ socket, events, resumed }));
    socket.once('connect_error', reject);
  });
}

const ticketIds = (events: LiveEvent[], type: string) =>
  events.filter((e) => e.type === type).map((e) => ((e.data as { ticket?: Ticket }).ticket ?? (e.data as Ticket)).id);

describe.each(DATABASES)('live events on %s', (kind) => {
  let server: TestServer;
  let f: HelpdeskFixture;

  beforeAll(async () => void ({ server, f } = await startHelpdesk(kind)));
  afterAll(() => server.dispose());

  it('delivers ticket events with record, seq and actor to the queue’s members only', async () => {
    const a = await connect(server.url, { token: f.agentA.accessToken });
    const b = await connect(server.url, { token: f.agentB.accessToken });
    const oncall = await connect(server.url, { token: f.oncall.accessToken });
    const t = await f.createTicket(f.agentA.accessToken, { subject: 'Live one' });
    await server.api('PATCH', `/api/v1/tickets/${t.id}`, { token: f.agentA.accessToken, body: { version: 1, status: 'open' } });
    await server.api('POST', `/api/v1/tickets/${t.id}/comments`, { token: f.agentA.accessToken, body: { body: 'hello' } });
    await expect.poll(() => a.events.length).toBe(3);
    expect(a.events.map((e) => e.type)).toEqual(['ticket.created', 'ticket.updated', 'ticket.commented']);
    expect(a.events[0]).toMatchObject({ seq: expect.any(Number), actor: { id: f.agentA.id }, data: { id: t.id } });
    expect(a.events[1]!.seq!).toBeGreaterThan(a.events[0]!.seq!);
    await expect.poll(() => oncall.events.length).toBe(3);
    expect(b.events).toHaveLength(0);
    for (const c of [a, b, oncall]) c.socket.close();
  });

  it('a ticket moved to another queue sends the old queue’s room only a tombstone, never its new content', async () => {
    const both = await createUserAndLogin(server, { email: `both-${kind}@example.com`, password: 'a-long-test-password-1', role: 'agent' });
    for (const q of [f.q1, f.q2]) await server.api('POST', `/api/v1/queues/${q.id}/members`, { token: f.admin.accessToken, body: { userId: both.id } });
    const t = await f.createTicket(f.agentA.accessToken, { subject: 'Plain subject' });
    const a = await connect(server.url, { token: f.agentA.accessToken });
    const b = await connect(server.url, { token: f.agentB.accessToken });
    const ab = await connect(server.url, { token: both.accessToken });
    const everything = (c: { socket: Socket }) => {
      const got: LiveEvent[] = [];
      c.socket.onAny((_type: string, e: LiveEvent) => got.push(e));
      return got;
    };
    const [gotA, gotB, gotAB] = [everything(a), everything(b), everything(ab)];
    const moved = await server.api<Ticket>('PATCH', `/api/v1/tickets/${t.id}`, { token: f.agentA.accessToken, body: { version: 1, queueId: f.q2.id, subject: 'Now confidential to the DBAs' } });
    expect(moved.status).toBe(200);
    await expect.poll(() => gotB.map((e) => e.type)).toContain('ticket.updated');
    await expect.poll(() => gotA.length).toBeGreaterThan(0);
    await expect.poll(() => gotAB.length).toBeGreaterThan(0);
    // The old queue's member hears only that the ticket left, with no content.
    expect(gotA).toEqual([expect.objectContaining({ type: 'ticket.removed', seq: expect.any(Number), data: { id: t.id, reason: 'left_visibility' } })]);
    expect(JSON.stringify(gotA)).not.toContain('confidential');
    expect(gotB.find((e) => e.type === 'ticket.updated')).toMatchObject({ data: { id: t.id, queueId: f.q2.id } });
    // A member of both queues still sees it: the update, never a tombstone.
    await new Promise((r) => setTimeout(r, 200));
    expect(gotAB.map((e) => e.type)).toEqual(['ticket.updated']);
    for (const c of [a, b, ab]) c.socket.close();
  });

  it('rejects a socket without a valid token', async () => {
    await expect(connect(server.url, { token: 'nope' })).rejects.toThrow();
    await expect(connect(server.url, {})).rejects.toThrow();
  });

  it('resumes after a reconnect from the last sequence it saw', async () => {
    const first = await connect(server.url, { token: f.agentA.accessToken });
    const t = await f.createTicket(f.agentA.accessToken, { subject: 'Before the tunnel' });
    await expect.poll(() => ticketIds(first.events, 'ticket.created')).toContain(t.id);
    const last = Math.max(...first.events.map((e) => e.seq ?? 0));
    first.socket.close();

    const missed = await f.createTicket(f.admin.accessToken, { subject: 'While offline' });
    await server.api('PATCH', `/api/v1/tickets/${t.id}`, { token: f.admin.accessToken, body: { version: 1, priority: 'critical' } });
    await f.createTicket(f.admin.accessToken, { subject: 'Not for A', queueId: f.q2.id });

    const again = await connect(server.url, { token: f.agentA.accessToken, since: last });
    expect(again.resumed.length).toBeGreaterThanOrEqual(1);
    const changes = again.resumed.flatMap((p) => p.changes);
    expect(changes.every((c) => c.seq > last)).toBe(true);
    expect(changes.filter((c) => c.entity === 'ticket').map((c) => c.id)).toEqual([missed.id, t.id]);
    expect(again.resumed[again.resumed.length - 1]!.done).toBe(true);
    // Still live after the replay.
    const after = await f.createTicket(f.agentA.accessToken, { subject: 'After the tunnel' });
    await expect.poll(() => ticketIds(again.events, 'ticket.created')).toContain(after.id);
    again.socket.close();
  });

  it('moves a socket into a queue’s room when its user joins the queue', async () => {
    const b = await connect(server.url, { token: f.agentB.accessToken });
    await server.api('POST', `/api/v1/queues/${f.q1.id}/members`, { token: f.admin.accessToken, body: { userId: f.agentB.id } });
    const t = await f.createTicket(f.agentA.accessToken, { subject: 'Now B sees it' });
    await expect.poll(() => ticketIds(b.events, 'ticket.created')).toContain(t.id);
    await server.api('DELETE', `/api/v1/queues/${f.q1.id}/members/${f.agentB.id}`, { token: f.admin.accessToken });
    const hidden = await f.createTicket(f.agentA.accessToken, { subject: 'B no longer sees it' });
    const marker = await f.createTicket(f.agentB.accessToken, { subject: 'marker', queueId: f.q2.id });
    await expect.poll(() => ticketIds(b.events, 'ticket.created')).toContain(marker.id);
    expect(ticketIds(b.events, 'ticket.created')).not.toContain(hidden.id);
    b.socket.close();
  });
});

describe('live events across two instances through Redis', () => {
  let redis: { url: string; stop(): Promise<void> };
  let a: TestServer;
  let b: RunningServer;

  beforeAll(async () => {
    redis = await startRedis();
    a = await startTestServer('sqlite', { env: { REDIS_URL: redis.url } });
    // Instance B: same database file, same secrets, its own port.
    b = await startServer(a.config);
  });
  afterAll(async () => {
    await b?.stop();
    await a?.dispose();
    await redis?.stop();
  });

  it('a write on instance A reaches a client connected to instance B', async () => {
    const f = await helpdeskFixture(a);
    const onB = await connect(b.url, { token: f.agentA.accessToken });
    const onA = await connect(a.url, { token: f.agentA.accessToken });
    const t = await f.createTicket(f.agentA.accessToken, { subject: 'Fan out' });
    await expect.poll(() => ticketIds(onB.events, 'ticket.created')).toContain(t.id);
    await expect.poll(() => ticketIds(onA.events, 'ticket.created')).toContain(t.id);
    // And the other way round, through B's HTTP API.
    const apiB = makeApiCaller(b.url);
    const res = await apiB('PATCH', `/api/v1/tickets/${t.id}`, { token: f.oncall.accessToken, body: { version: 1, status: 'open' } });
    expect(res.status).toBe(200);
    await expect.poll(() => ticketIds(onA.events, 'ticket.updated')).toContain(t.id);
    // Membership rooms follow across instances too.
    await apiB('POST', `/api/v1/queues/${f.q2.id}/members`, { token: f.admin.accessToken, body: { userId: f.agentA.id } });
    // The join travels B → Redis → A asynchronously; a ticket created before it lands is caught up by sync.
    await expect.poll(async () => (await a.live.io.local.in(`queue:${f.q2.id}`).fetchSockets()).length).toBe(1);
    const t2 = await f.createTicket(f.admin.accessToken, { subject: 'Queue two', queueId: f.q2.id });
    await expect.poll(() => ticketIds(onA.events, 'ticket.created')).toContain(t2.id);
    onA.socket.close();
    onB.socket.close();
  });
});
