import { DateTime } from 'luxon';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../shared/api/events';
import type { BusinessCalendar } from '../../../shared/api/calendars';
import type { Ticket } from '../../../shared/api/tickets';
import { ADMIN, DATABASES, startTestServer, type TestServer } from '../../test-support/harness';
import { helpdeskFixture, type HelpdeskFixture } from '../../test-support/helpdesk-fixture';
import { ManualClock } from '../platform/clock';
import { SlaRecompute } from './sla-recompute';

const berlin = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Berlin' }).toMillis();
const weekdays = (friday: { start: string; end: string }) => [1, 2, 3, 4, 5].map((day) => (day === 5 ? { day, ...friday } : { day, start: '09:00', end: '17:00' }));
const OFFICE = { name: 'Berlin office', timeZone: 'Europe/Berlin', hours: weekdays({ start: '09:00', end: '17:00' }), holidays: [] as string[] };

describe.each(DATABASES)('recomputing running SLA deadlines on %s', (kind) => {
  let server: TestServer;
  let f: HelpdeskFixture;
  let office: BusinessCalendar;
  let socket: Socket;
  const updates: LiveEvent[] = [];
  const clock = new ManualClock(berlin('2026-03-06T09:00')); // a Friday
  const tickets: Record<'running' | 'paused' | 'breached' | 'answered', Ticket> = {} as never;

  const api = <T = any>(method: string, path: string, token: string, body?: unknown) => server.api<T>(method as 'GET', `/api/v1${path}`, { token, body });
  const get = async (id: string) => (await api<Ticket>('GET', `/tickets/${id}`, f.agentA.accessToken)).body;
  const patch = async (id: string, body: Record<string, unknown>) => {
    const res = await api<Ticket>('PATCH', `/tickets/${id}`, f.agentA.accessToken, { ...body, version: (await get(id)).version });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    server = await startTestServer(kind, { clock, env: { ACCESS_TOKEN_TTL_SECONDS: '86400' } });
    f = await helpdeskFixture(server);
    office = (await api<BusinessCalendar>('POST', '/sla/calendars', f.admin.accessToken, OFFICE)).body;
    expect((await api('PUT', `/sla/queues/${f.q1.id}/calendar`, f.admin.accessToken, { calendarId: office.id })).status).toBe(200);
    await server.services.slaRecompute.idle();
    // Breached: critical (15 min first response, 4 h resolution) at 09:00, both missed by 13:00.
    tickets.breached = await f.createTicket(f.agentA.accessToken, { priority: 'critical', subject: 'Breached' });
    clock.set(berlin('2026-03-06T13:00'));
    await server.services.slaWatcher.tick();
    expect((await get(tickets.breached.id)).sla.state).toBe('breached');
    // Medium: 4 h first response, 24 h resolution. Created at 13:00 Friday: first response due 17:00.
    tickets.running = await f.createTicket(f.agentA.accessToken, { priority: 'medium', subject: 'Running' });
    tickets.paused = await f.createTicket(f.agentA.accessToken, { priority: 'medium', subject: 'Paused' });
    tickets.paused = await patch(tickets.paused.id, { status: 'pending' });
    tickets.answered = await f.createTicket(f.agentA.accessToken, { priority: 'medium', subject: 'Answered' });
    expect((await api('POST', `/tickets/${tickets.answered.id}/comments`, f.agentA.accessToken, { body: 'On it', visibility: 'public' })).status).toBe(201);
    tickets.answered = await get(tickets.answered.id);
    tickets.breached = await get(tickets.breached.id);
    socket = io(server.url, { auth: { token: f.agentA.accessToken }, transports: ['websocket'], reconnection: false });
    socket.on('ticket.updated', (e: LiveEvent) => updates.push(e));
    await new Promise((resolve, reject) => {
      socket.once('ready', resolve);
      socket.once('connect_error', reject);
    });
  });
  afterAll(async () => {
    socket?.close();
    await server?.dispose();
  });

  it('moves a ticket due Friday 17:00 when Friday’s hours change; paused, breached and met clocks keep their instants', async () => {
    expect(tickets.running.sla.firstResponseDueAt).toBe(berlin('2026-03-06T17:00'));
    expect(tickets.running.sla.resolutionDueAt).toBe(berlin('2026-03-11T13:00'));
    const cursor = (await api('GET', '/sync/changes?since=0&limit=1000', f.agentA.accessToken)).body.nextCursor as number;

    const res = await api<BusinessCalendar>('PUT', `/sla/calendars/${office.id}`, f.admin.accessToken, { ...OFFICE, hours: weekdays({ start: '09:00', end: '15:00' }) });

    await server.services.slaRecompute.idle();
    expect(res.status, JSON.stringify(res.body)).toBe(200);

    // 4 h left at 13:00: 2 h until Friday 15:00, 2 h on Monday. 24 h: Fri 2 + Mon 8 + Tue 8 + Wed 6.
    const running = await get(tickets.running.id);
    expect(running.sla.firstResponseDueAt).toBe(berlin('2026-03-09T11:00'));
    expect(running.sla.firstResponseWarnAt).toBe(berlin('2026-03-09T10:12'));
    expect(running.sla.resolutionDueAt).toBe(berlin('2026-03-11T15:00'));
    expect(running.version).toBe(tickets.running.version); // not an edit: no one's pending change conflicts with it
    expect((await get(tickets.paused.id)).sla).toEqual(tickets.paused.sla);
    expect((await get(tickets.breached.id)).sla).toMatchObject({ firstResponseDueAt: tickets.breached.sla.firstResponseDueAt, resolutionDueAt: tickets.breached.sla.resolutionDueAt, state: 'breached' });
    const answered = await get(tickets.answered.id);
    expect(answered.sla.firstResponseDueAt).toBe(tickets.answered.sla.firstResponseDueAt); // met: kept
    expect(answered.sla.resolutionDueAt).toBe(berlin('2026-03-11T15:00')); // still running: moved

    // Desktops see it: the change feed and a live event carry the new due times.
    const feed = (await api('GET', `/sync/changes?since=${cursor}&limit=1000`, f.agentA.accessToken)).body.changes as { entity: string; id: string; data: Ticket }[];
    const moved = feed.filter((c) => c.entity === 'ticket').map((c) => c.id);
    expect(moved.sort()).toEqual([tickets.running.id, tickets.answered.id].sort());
    expect(feed.find((c) => c.id === tickets.running.id)?.data.sla.firstResponseDueAt).toBe(berlin('2026-03-09T11:00'));
    await expect.poll(() => updates.filter((e) => (e.data as Ticket).id === tickets.running.id).length).toBe(1);

    const audit = (await api('GET', '/audit?limit=20', f.admin.accessToken)).body.items as { action: string; actorEmail?: string; details: Record<string, unknown> }[];
    const entry = audit.find((e) => e.action === 'sla.deadlines_recomputed');
    expect(entry?.details).toMatchObject({ cause: 'calendar', calendarId: office.id, queueIds: [f.q1.id], tickets: 2 });
  });

  it('a holiday added moves the deadline past it; removing it moves it back', async () => {
    const res = await api('PUT', `/sla/calendars/${office.id}`, f.admin.accessToken, { ...OFFICE, hours: weekdays({ start: '09:00', end: '15:00' }), holidays: ['2026-03-09'] });
    await server.services.slaRecompute.idle();
    expect(res.status).toBe(200);
    expect((await get(tickets.running.id)).sla.firstResponseDueAt).toBe(berlin('2026-03-10T11:00'));
    await api('PUT', `/sla/calendars/${office.id}`, f.admin.accessToken, { ...OFFICE, hours: weekdays({ start: '09:00', end: '15:00' }) });
    await server.services.slaRecompute.idle();
    expect((await get(tickets.running.id)).sla.firstResponseDueAt).toBe(berlin('2026-03-09T11:00'));
    expect((await get(tickets.paused.id)).sla).toEqual(tickets.paused.sla);
  });

  it('edits back to back are recomputed one after the other, each from what the one before left', async () => {
    await api('PUT', `/sla/calendars/${office.id}`, f.admin.accessToken, { ...OFFICE, hours: weekdays({ start: '09:00', end: '15:00' }), holidays: ['2026-03-09'] });
    await api('PUT', `/sla/calendars/${office.id}`, f.admin.accessToken, { ...OFFICE, hours: weekdays({ start: '09:00', end: '15:00' }), holidays: ['2026-03-09', '2026-03-10'] });
    await api('PUT', `/sla/calendars/${office.id}`, f.admin.accessToken, { ...OFFICE, hours: weekdays({ start: '09:00', end: '15:00' }) });
    await server.services.slaRecompute.idle();
    expect((await get(tickets.running.id)).sla.firstResponseDueAt).toBe(berlin('2026-03-09T11:00'));
  });

  it('a recompute that fails is reported, and the next one still runs', async () => {
    const s = server.services;
    const failures: unknown[] = [];
    const recompute = new SlaRecompute(s.database.db, s.changes, s.events, s.audit, clock, (err) => failures.push(err));
    const admin = { id: f.admin.id, email: ADMIN.email, ip: null };
    const broken = async () => {
      throw new Error('calendar unreadable');
    };
    recompute.start(admin, { kind: 'policy', priority: 'medium', targets: { firstResponseMs: 1, resolutionMs: 1 }, timeFor: broken });
    recompute.start(admin, { kind: 'queue_calendar', queueId: f.q1.id, calendarId: office.id, from: await s.calendars.timeFor(f.q1.id), to: await s.calendars.timeFor(f.q1.id) });
    await recompute.idle();
    expect(failures.map((e) => (e as Error).message)).toEqual(['calendar unreadable']);
    const audit = (await api('GET', '/audit?limit=5', f.admin.accessToken)).body.items as { action: string; details: Record<string, unknown> }[];
    expect(audit[0]).toMatchObject({ action: 'sla.deadlines_recomputed', details: { cause: 'queue_calendar', tickets: 0 } });
  });

  it('a policy’s new targets re-lay the running clocks of that priority from the time they used', async () => {
    clock.set(berlin('2026-03-06T14:00')); // 1 h of the 4 h used
    const res = await api('PUT', '/sla/policies/medium', f.admin.accessToken, { firstResponseMinutes: 480, resolutionMinutes: 1440 });
    await server.services.slaRecompute.idle();
    expect(res.status).toBe(200);
    // 8 h target, 1 h used: 7 h from 14:00 → Friday 1 h, Monday 6 h → 15:00. (The answered ticket's resolution target is unchanged: one ticket.)
    expect((await get(tickets.running.id)).sla.firstResponseDueAt).toBe(berlin('2026-03-09T15:00'));
    expect((await get(tickets.paused.id)).sla).toEqual(tickets.paused.sla);
    const audit = (await api('GET', '/audit?limit=20', f.admin.accessToken)).body.items as { action: string; details: Record<string, unknown> }[];
    expect(audit.find((e) => e.action === 'sla.deadlines_recomputed')?.details).toMatchObject({ cause: 'policy', priority: 'medium', firstResponseMinutes: 480, tickets: 1 });
    await api('PUT', '/sla/policies/medium', f.admin.accessToken, { firstResponseMinutes: 240, resolutionMinutes: 1440 });
    await server.services.slaRecompute.idle();
  });

  it('detaching the calendar runs the clocks around the clock; the work is done in bounded batches', async () => {
    for (let i = 0; i < 5; i++) await f.createTicket(f.agentA.accessToken, { priority: 'low', subject: `Batch ${i}` });
    const s = server.services;
    const small = new SlaRecompute(s.database.db, s.changes, s.events, s.audit, clock, (err) => { throw err; }, 2);
    const admin = { id: f.admin.id, email: ADMIN.email, ip: null };
    const before = await get(tickets.running.id);
    const rewritten = await small.run(admin, { kind: 'queue_calendar', queueId: f.q1.id, calendarId: null, from: await s.calendars.timeFor(f.q1.id), to: { add: (a, ms) => a + ms, between: (a, b) => b - a, running: () => true } });
    // running, answered and the five low tickets: seven, across four batches of two.
    expect(rewritten).toBe(7);
    // 3 h of business time were left (Friday 14:00–15:00, Monday 09:00–11:00): now 3 h of wall time.
    expect(before.sla.firstResponseDueAt).toBe(berlin('2026-03-09T11:00'));
    expect((await get(tickets.running.id)).sla.firstResponseDueAt).toBe(berlin('2026-03-06T17:00'));
  });
});
