import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../shared/api/events';
import type { Ticket } from '../../../shared/api/tickets';
import { DATABASES, startTestServer, type TestServer } from '../../test-support/harness';
import { ManualClock } from '../platform/clock';
import { helpdeskFixture, type HelpdeskFixture } from '../../test-support/helpdesk-fixture';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe.each(DATABASES)('SLA timers on %s', (kind) => {
  let server: TestServer;
  let f: HelpdeskFixture;
  const clock = new ManualClock(Date.UTC(2026, 2, 2, 9, 0, 0));

  beforeAll(async () => {
    server = await startTestServer(kind, { clock, env: { ACCESS_TOKEN_TTL_SECONDS: '86400' } });
    f = await helpdeskFixture(server);
  });
  afterAll(() => server.dispose());

  const get = async (id: string) => (await server.api<Ticket>('GET', `/api/v1/tickets/${id}`, { token: f.agentA.accessToken })).body;
  const patch = async (t: { id: string }, body: Record<string, unknown>) => {
    const current = await get(t.id);
    const res = await server.api<Ticket>('PATCH', `/api/v1/tickets/${t.id}`, { token: f.agentA.accessToken, body: { ...body, version: current.version } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  it('pauses while pending and shifts the deadlines by the pause', async () => {
    const t = await f.createTicket(f.agentA.accessToken, { priority: 'medium' });
    expect(t.sla.firstResponseDueAt).toBe(t.createdAt + 4 * HOUR);
    clock.advance(1 * HOUR);
    const pending = await patch(t, { status: 'pending' });
    expect(pending.sla.pausedAt).toBe(clock.now());
    clock.advance(10 * HOUR);
    // Paused: 11 h after creation the 4 h first-response target is not breached.
    expect((await get(t.id)).sla.state).toBe('ok');
    expect(await server.services.slaWatcher.tick()).toBe(0);
    const open = await patch(t, { status: 'open' });
    expect(open.sla.pausedAt).toBeNull();
    expect(open.sla.firstResponseDueAt).toBe(t.createdAt + 4 * HOUR + 10 * HOUR);
    expect(open.sla.resolutionDueAt).toBe(t.createdAt + 24 * HOUR + 10 * HOUR);
    clock.advance(2 * HOUR + 24 * MIN); // 3 h 24 min of 4 h used: past 80 %
    expect((await get(t.id)).sla.state).toBe('warning');
  });

  it('recomputes deadlines on a priority change from the time already used', async () => {
    const t = await f.createTicket(f.agentA.accessToken, { priority: 'low' });
    clock.advance(10 * MIN);
    const high = await patch(t, { priority: 'high' });
    expect(high.sla.firstResponseDueAt).toBe(t.createdAt + 1 * HOUR);
    expect(high.sla.resolutionDueAt).toBe(t.createdAt + 8 * HOUR);
    clock.advance(10 * MIN);
    const critical = await patch(t, { priority: 'critical' });
    expect(critical.sla.firstResponseDueAt).toBe(t.createdAt + 15 * MIN);
    expect(critical.sla.state).toBe('breached');
  });

  it('goes ok → warning at 80 % → breached, announces the breach once, and filters by state', async () => {
    const socket: Socket = io(server.url, { auth: { token: f.agentA.accessToken }, transports: ['websocket'], reconnection: false });
    const breaches: LiveEvent[] = [];
    socket.on('ticket.sla_breached', (e: LiveEvent) => breaches.push(e));
    await new Promise((resolve, reject) => {
      socket.once('ready', resolve);
      socket.once('connect_error', reject);
    });
    await server.services.slaWatcher.tick(); // settle tickets from earlier tests
    breaches.length = 0;

    const t = await f.createTicket(f.agentA.accessToken, { priority: 'critical', subject: 'Core switch down' });
    const replied = await f.createTicket(f.agentA.accessToken, { priority: 'critical', subject: 'Answered quickly' });
    clock.advance(5 * MIN);
    const reply = await server.api('POST', `/api/v1/tickets/${replied.id}/comments`, { token: f.agentA.accessToken, body: { body: 'On it', visibility: 'public' } });
    expect(reply.status).toBe(201);
    expect((await get(replied.id)).sla.firstRespondedAt).toBe(clock.now());
    const internal = await f.createTicket(f.agentA.accessToken, { priority: 'critical', subject: 'Only internal notes' });
    await server.api('POST', `/api/v1/tickets/${internal.id}/comments`, { token: f.agentA.accessToken, body: { body: 'note', visibility: 'internal' } });
    expect((await get(internal.id)).sla.firstRespondedAt).toBeNull();

    clock.advance(7 * MIN); // 12 of 15 min
    expect((await get(t.id)).sla.state).toBe('warning');
    const warning = await server.api('GET', `/api/v1/tickets?sla=warning&queue=${f.q1.id}&limit=200`, { token: f.agentA.accessToken });
    expect(warning.body.items.map((x: Ticket) => x.id)).toContain(t.id);
    expect(warning.body.items.map((x: Ticket) => x.id)).not.toContain(replied.id);

    clock.advance(4 * MIN);
    const announced = await server.services.slaWatcher.tick();
    expect(announced).toBeGreaterThanOrEqual(1);
    expect(await server.services.slaWatcher.tick()).toBe(0);
    const after = await get(t.id);
    expect(after.sla.state).toBe('breached');
    expect(after.sla.firstResponseBreachedAt).toBe(clock.now());
    expect((await get(replied.id)).sla.state).toBe('ok');
    const breaching = await server.api('GET', `/api/v1/tickets?view=breaching-sla&limit=200`, { token: f.agentA.accessToken });
    expect(breaching.body.items.map((x: Ticket) => x.id)).toContain(t.id);
    expect(breaching.body.items.map((x: Ticket) => x.id)).not.toContain(replied.id);

    await expect.poll(() => breaches.filter((e) => (e.data as { ticket: Ticket }).ticket.id === t.id).length).toBe(1);
    const event = breaches.find((e) => (e.data as { ticket: Ticket }).ticket.id === t.id)!;
    expect(event.seq).toBeGreaterThan(0);
    expect(event.data).toMatchObject({ timer: 'first_response' });
    const history = await server.api('GET', `/api/v1/tickets/${t.id}/events`, { token: f.agentA.accessToken });
    expect(history.body.filter((e: { kind: string }) => e.kind === 'sla_breached')).toHaveLength(1);
    socket.close();
  });

  it('lets admins change a policy, which new tickets use', async () => {
    const forbidden = await server.api('PUT', '/api/v1/sla/policies/high', { token: f.agentA.accessToken, body: { firstResponseMinutes: 30, resolutionMinutes: 240 } });
    expect(forbidden.status).toBe(403);
    const res = await server.api('PUT', '/api/v1/sla/policies/high', { token: f.admin.accessToken, body: { firstResponseMinutes: 30, resolutionMinutes: 240 } });
    expect(res.status).toBe(200);
    const list = await server.api('GET', '/api/v1/sla/policies', { token: f.agentA.accessToken });
    expect(list.body).toEqual(expect.arrayContaining([expect.objectContaining({ priority: 'critical', firstResponseMinutes: 15, resolutionMinutes: 240 }), expect.objectContaining({ priority: 'high', firstResponseMinutes: 30 })]));
    const t = await f.createTicket(f.agentA.accessToken, { priority: 'high' });
    expect(t.sla.firstResponseDueAt! - t.createdAt).toBe(30 * MIN);
  });
});
