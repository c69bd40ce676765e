import { DateTime } from 'luxon';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertNotification } from '../../../shared/api/alerts';
import type { BusinessCalendar } from '../../../shared/api/calendars';
import type { Queue } from '../../../shared/api/queues';
import type { Ticket } from '../../../shared/api/tickets';
import { ADMIN, DATABASES, createUserAndLogin, startTestServer, type TestServer } from '../../test-support/harness';
import { helpdeskFixture, type HelpdeskFixture } from '../../test-support/helpdesk-fixture';
import { startSmtp } from '../../test-support/smtp-capture';
import { ManualClock } from '../platform/clock';

const MIN = 60_000;
const berlin = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Berlin' }).toMillis();
const OFFICE = { name: 'Berlin office', timeZone: 'Europe/Berlin', hours: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' })), holidays: ['2026-03-13'] };

async function desktop(url: string, token: string): Promise<{ socket: Socket; popups: AlertNotification[] }> {
  const popups: AlertNotification[] = [];
  const socket = io(url, { auth: { token }, transports: ['websocket'] });
  socket.on('alert.notify', (e: { data: unknown }, ack?: (r: unknown) => void) => {
    popups.push(AlertNotification.parse(e.data));
    ack?.({ received: true });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('ready', () => resolve());
    socket.once('connect_error', reject);
  });
  return { socket, popups };
}

describe.each(DATABASES)('business-hours SLA calendars on %s', (kind) => {
  let server: TestServer;
  let f: HelpdeskFixture;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let office: BusinessCalendar;
  const clock = new ManualClock(berlin('2026-03-06T15:00')); // a Friday, 15:00 in Berlin

  beforeAll(async () => {
    smtp = await startSmtp();
    server = await startTestServer(kind, { clock, env: { ACCESS_TOKEN_TTL_SECONDS: '86400', SMTP_URL: smtp.url, NOTIFY_TIMEOUT_MS: '2000', NOTIFY_DESKTOP_ACK_MS: '500' } });
    f = await helpdeskFixture(server);
  });
  afterAll(async () => {
    await server?.dispose();
    await smtp?.close();
  });

  /** Moves the clock (days at a time) and signs everyone in again: access tokens live at most a day. */
  const setClock = async (at: number) => {
    clock.set(at);
    for (const who of [f.admin, f.agentA, f.agentB]) {
      const { email } = await server.services.database.db.selectFrom('users').select('email').where('id', '=', who.id).executeTakeFirstOrThrow();
      const res = await server.api<{ accessToken: string }>('POST', '/api/v1/auth/login', { body: { email, password: who === f.admin ? ADMIN.password : 'a-long-test-password-1' } });
      expect(res.status).toBe(200);
      who.accessToken = res.body.accessToken;
    }
  };
  const api = <T = any>(method: string, path: string, token: string, body?: unknown) => server.api<T>(method as 'GET', `/api/v1${path}`, { token, body });
  const patch = async (id: string, body: Record<string, unknown>) => {
    const current = (await api<Ticket>('GET', `/tickets/${id}`, f.agentA.accessToken)).body;
    const res = await api<Ticket>('PATCH', `/tickets/${id}`, f.agentA.accessToken, { ...body, version: current.version });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  it('lets admins manage calendars and attach one to a queue, with clear refusals', async () => {
    expect((await api('POST', '/sla/calendars', f.agentA.accessToken, OFFICE)).status).toBe(403);
    const badZone = await api('POST', '/sla/calendars', f.admin.accessToken, { ...OFFICE, timeZone: 'Mars/Olympus' });
    expect([badZone.status, badZone.body.message]).toEqual([422, 'Unknown time zone Mars/Olympus']);
    const overlap = await api('POST', '/sla/calendars', f.admin.accessToken, { ...OFFICE, hours: [{ day: 1, start: '09:00', end: '13:00' }, { day: 1, start: '12:00', end: '17:00' }] });
    expect(overlap.status).toBe(422);
    expect(overlap.body.message).toMatch(/overlap on day 1/);
    expect((await api('POST', '/sla/calendars', f.admin.accessToken, { ...OFFICE, hours: [{ day: 1, start: '17:00', end: '09:00' }] })).status).toBe(400);

    const created = await api<BusinessCalendar>('POST', '/sla/calendars', f.admin.accessToken, OFFICE);
    expect(created.status).toBe(201);
    office = created.body;
    expect((await api('POST', '/sla/calendars', f.admin.accessToken, OFFICE)).status).toBe(409);
    const attached = await api<Queue>('PUT', `/sla/queues/${f.q1.id}/calendar`, f.admin.accessToken, { calendarId: office.id });
    expect(attached.status).toBe(200);
    expect(attached.body.slaCalendar).toMatchObject({ id: office.id, timeZone: 'Europe/Berlin', holidays: ['2026-03-13'] });
    // Agents read it with their queue (and through sync), so the app counts the same business time.
    const seen = await api<Queue>('GET', `/queues/${f.q1.id}`, f.agentA.accessToken);
    expect(seen.body.slaCalendar?.hours).toHaveLength(5);
    const feed = await api('GET', '/sync/changes?since=0&limit=1000', f.agentA.accessToken);
    const queueChanges = feed.body.changes.filter((c: { entity: string; id: string }) => c.entity === 'queue' && c.id === f.q1.id);
    expect(queueChanges.at(-1).data.slaCalendar.id).toBe(office.id);
    expect((await api<BusinessCalendar[]>('GET', '/sla/calendars', f.agentA.accessToken)).body.find((c) => c.id === office.id)?.queueIds).toEqual([f.q1.id]);
    const inUse = await api('DELETE', `/sla/calendars/${office.id}`, f.admin.accessToken);
    expect(inUse.status).toBe(409);
    const audit = await api('GET', '/audit?limit=50', f.admin.accessToken);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['sla.calendar_created', 'sla.queue_calendar_set']));
  });

  it('runs the clocks only inside business hours, across the weekend, a pause and a holiday', async () => {
    // Friday 15:00, medium (4 h first response, 24 h resolution): 2 h today, 2 h on Monday.
    const t = await f.createTicket(f.agentA.accessToken, { priority: 'medium' });
    expect(t.sla.firstResponseDueAt).toBe(berlin('2026-03-09T11:00'));
    expect(t.sla.firstResponseWarnAt).toBe(berlin('2026-03-09T10:12')); // 80 % of 4 h = 3 h 12 min of business time
    expect(t.sla.resolutionDueAt).toBe(berlin('2026-03-11T15:00'));
    // The weekend does not count: Sunday evening it is still "ok".
    await setClock(berlin('2026-03-08T20:00'));
    expect((await api<Ticket>('GET', `/tickets/${t.id}`, f.agentA.accessToken)).body.sla.state).toBe('ok');
    // Monday 09:30: 1 h 30 min of the first response left; waiting on the customer until Tuesday 09:00.
    await setClock(berlin('2026-03-09T09:30'));
    await patch(t.id, { status: 'pending' });
    await setClock(berlin('2026-03-10T09:00'));
    const resumed = await patch(t.id, { status: 'open' });
    expect(resumed.sla.firstResponseDueAt).toBe(berlin('2026-03-10T10:30'));
    // Resolution: 2 h 30 min used before the pause, 21 h 30 min left → Tuesday 8 h, Wednesday 8 h, Thursday 5 h 30 min.
    expect(resumed.sla.resolutionDueAt).toBe(berlin('2026-03-12T14:30'));
    // A high ticket on Thursday 16:00: 1 h first response = 1 h today; 8 h resolution skips Friday the 13th (a holiday).
    await setClock(berlin('2026-03-12T16:00'));
    const high = await f.createTicket(f.agentA.accessToken, { priority: 'high' });
    expect(high.sla.firstResponseDueAt).toBe(berlin('2026-03-12T17:00'));
    expect(high.sla.resolutionDueAt).toBe(berlin('2026-03-16T16:00'));
    // A queue without a calendar keeps running around the clock.
    const q2 = await f.createTicket(f.agentB.accessToken, { queueId: f.q2.id, priority: 'high' });
    expect(q2.sla.firstResponseDueAt).toBe(clock.now() + 60 * MIN);
  });

  it('warns at 80 % and at the breach pops up on the assignee’s desktop and emails them, once each; unassigned: the queue', async () => {
    const carla = await createUserAndLogin(server, { email: `carla-${kind}@example.com`, password: 'a-long-test-password-1', name: 'Carla Agent', role: 'agent' });
    expect((await api('POST', `/queues/${f.q2.id}/members`, f.admin.accessToken, { userId: carla.id })).status).toBe(200);
    const b = await desktop(server.url, f.agentB.accessToken);
    const c = await desktop(server.url, carla.accessToken);
    await server.services.slaWatcher.tick(); // settle the earlier tests' tickets
    await server.services.notifier.idle();
    b.popups.length = 0;
    c.popups.length = 0;
    smtp.mails.length = 0;

    // q2 runs 24×7; critical: 15 min first response.
    const assigned = await f.createTicket(f.agentB.accessToken, { queueId: f.q2.id, priority: 'critical', subject: 'Core switch down', assigneeId: f.agentB.id });
    const open = await f.createTicket(f.agentB.accessToken, { queueId: f.q2.id, priority: 'critical', subject: 'VPN flapping' });
    clock.advance(12 * MIN + 1000);
    await server.services.slaWatcher.tick();
    await server.services.slaWatcher.tick();
    await server.services.notifier.idle();
    const titles = (p: AlertNotification[]) => p.map((x) => x.title).sort();
    expect(titles(b.popups)).toEqual([`[SLA warning] #${assigned.number} Core switch down`, `[SLA warning] #${open.number} VPN flapping`]);
    expect(titles(c.popups)).toEqual([`[SLA warning] #${open.number} VPN flapping`]);
    expect(c.popups[0]).toMatchObject({ userId: carla.id, severity: 'medium', alertId: null });
    const to = (subject: string) => smtp.mails.filter((m) => m.data.includes(subject)).flatMap((m) => m.to).sort();
    const bEmail = (await server.services.database.db.selectFrom('users').select('email').where('id', '=', f.agentB.id).executeTakeFirstOrThrow()).email;
    await expect.poll(() => to(`#${open.number} VPN flapping`)).toEqual([bEmail, `carla-${kind}@example.com`].sort());
    expect(to(`#${assigned.number} Core switch down`)).toEqual([bEmail]);

    clock.advance(4 * MIN);
    expect(await server.services.slaWatcher.tick()).toBe(2);
    expect(await server.services.slaWatcher.tick()).toBe(0);
    await server.services.notifier.idle();
    expect(titles(b.popups).filter((t) => t.startsWith('[SLA breached]'))).toEqual([`[SLA breached] #${assigned.number} Core switch down`, `[SLA breached] #${open.number} VPN flapping`]);
    expect(titles(c.popups).filter((t) => t.startsWith('[SLA breached]'))).toEqual([`[SLA breached] #${open.number} VPN flapping`]);
    await expect.poll(() => smtp.mails.filter((m) => m.data.includes('SLA breached')).length).toBe(3);
    expect(smtp.mails.filter((m) => m.data.includes('SLA warning'))).toHaveLength(3);
    // Delivered through the notification routing: one desktop and one email row per person and notice.
    const rows = await server.services.database.db
      .selectFrom('notification_deliveries')
      .select(['channel', 'status', 'user_id'])
      .where('alert_id', 'is', null)
      .where('user_id', 'in', [f.agentB.id, carla.id])
      .where('payload', 'like', '%SLA%')
      .execute();
    expect(rows.filter((r) => r.channel === 'desktop')).toHaveLength(6);
    expect(rows.filter((r) => r.channel === 'desktop').every((r) => r.status === 'sent')).toBe(true);
    expect(rows.filter((r) => r.channel === 'email')).toHaveLength(6);
    b.socket.close();
    c.socket.close();
  });
});
