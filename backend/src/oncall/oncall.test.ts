import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, createUserAndLogin } from '../../test-support/harness';
import { startMonitoringServer, monitoringOf, type MonitoringTestEnv } from '../../test-support/monitoring';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(DATABASES)('on-call schedules on %s', (kind) => {
  let env: MonitoringTestEnv;
  let ana: { id: string; accessToken: string };
  let ben: { id: string; accessToken: string };
  let cem: { id: string; accessToken: string };
  let agent: { id: string; accessToken: string };
  let scheduleId: string;
  const api = (method: string, url: string, body?: unknown, token = env.admin.accessToken) => env.server.api(method, `/api/v1${url}`, { token, body });

  beforeAll(async () => {
    env = await startMonitoringServer(kind); // the clock starts on Monday 2026-01-05 12:00 UTC
    ana = await createUserAndLogin(env.server, { email: 'ana@example.com', password: 'orchid-harbour-5521', role: 'oncall', name: 'Ana Alves' });
    ben = await createUserAndLogin(env.server, { email: 'ben@example.com', password: 'granite-swallow-8830', role: 'oncall', name: 'Ben Brandt' });
    cem = await createUserAndLogin(env.server, { email: 'cem@example.com', password: 'meadow-pylon-1274', role: 'oncall', name: 'Cem Celik' });
    agent = await createUserAndLogin(env.server, { email: 'agent@example.com', password: 'copper-lagoon-6612', role: 'agent', name: 'Agent' });
  });
  afterAll(() => env?.server.dispose());

  it('creates a schedule with a weekly rotation of two, validating zone, shape and people', async () => {
    expect((await api('POST', '/oncall/schedules', { name: 'Ops', timeZone: 'Mars/Olympus' })).body.message).toMatch(/not a time zone/);
    expect((await api('POST', '/oncall/schedules', { name: 'Ops', timeZone: 'Europe/Berlin' }, agent.accessToken)).status).toBe(403);
    const created = await api('POST', '/oncall/schedules', { name: 'Ops', timeZone: 'Europe/Berlin', description: 'primary' });
    expect(created.status).toBe(201);
    scheduleId = created.body.id;
    expect((await api('POST', '/oncall/schedules', { name: 'Ops', timeZone: 'UTC' })).status).toBe(409);

    const weekly = { name: 'Primary', kind: 'weekly', handoffTime: '09:00', startDate: '2026-01-05', participants: [ana.id, ben.id] };
    expect((await api('POST', `/oncall/schedules/${scheduleId}/rotations`, { ...weekly, kind: 'custom' })).status).toBe(400);
    expect((await api('POST', `/oncall/schedules/${scheduleId}/rotations`, { ...weekly, handoffTime: '9am' })).body.message).toMatch(/HH:MM/);
    expect((await api('POST', `/oncall/schedules/${scheduleId}/rotations`, { ...weekly, participants: ['nobody'] })).body.message).toMatch(/unknown or disabled user: nobody/);
    const rot = await api('POST', `/oncall/schedules/${scheduleId}/rotations`, weekly);
    expect(rot.status).toBe(201);
    expect(rot.body).toMatchObject({ layer: 1, kind: 'weekly', participants: [ana.id, ben.id], shiftMinutes: null });

    // 12:00 UTC on Monday is 13:00 in Berlin: Ana's first week started at 09:00 local (08:00 UTC).
    const now = await api('GET', `/oncall/schedules/${scheduleId}/now`, undefined, agent.accessToken);
    expect(now.status).toBe(200);
    expect(now.body.current).toMatchObject({ userId: ana.id, userName: 'Ana Alves', start: Date.UTC(2026, 0, 5, 8), end: Date.UTC(2026, 0, 12, 8), layer: 1 });
    expect(now.body.next).toMatchObject({ userId: ben.id, start: Date.UTC(2026, 0, 12, 8) });
  });

  it('an override puts C on call for its hours; shifts show each layer and the final layer', async () => {
    const startsAt = Date.UTC(2026, 0, 6, 17); // 18:00 Berlin
    const endsAt = Date.UTC(2026, 0, 6, 21); // 22:00 Berlin
    expect((await api('POST', `/oncall/schedules/${scheduleId}/overrides`, { userId: cem.id, startsAt: endsAt, endsAt: startsAt })).status).toBe(400);
    expect((await api('POST', `/oncall/schedules/${scheduleId}/overrides`, { userId: cem.id, startsAt, endsAt }, agent.accessToken)).status).toBe(403);
    const o = await api('POST', `/oncall/schedules/${scheduleId}/overrides`, { userId: cem.id, coversUserId: ana.id, startsAt, endsAt, note: 'dentist' }, ben.accessToken);
    expect(o.status).toBe(201);
    const shifts = await api('GET', `/oncall/schedules/${scheduleId}/shifts?from=${Date.UTC(2026, 0, 5)}&to=${Date.UTC(2026, 0, 12)}`);
    expect(shifts.body.layers).toHaveLength(1);
    expect(shifts.body.final.map((s: any) => [s.userName, s.start, s.end, s.layer])).toEqual([
      ['Ana Alves', Date.UTC(2026, 0, 5, 8), startsAt, 1],
      ['Cem Celik', startsAt, endsAt, 'override'],
      ['Ana Alves', endsAt, Date.UTC(2026, 0, 12, 0), 1],
    ]);
    expect((await api('GET', `/oncall/schedules/${scheduleId}/shifts?from=10&to=5`)).status).toBe(400);
    const all = await api('GET', '/oncall/now', undefined, agent.accessToken);
    expect(all.body).toEqual([expect.objectContaining({ scheduleId, scheduleName: 'Ops', current: expect.objectContaining({ userId: ana.id }) })]);
    const detail = await api('GET', `/oncall/schedules/${scheduleId}`);
    expect(detail.body.overrides).toEqual([expect.objectContaining({ userId: cem.id, coversUserId: ana.id, note: 'dentist', createdBy: ben.id })]);
    // Moved by an hour and back: the update keeps its id and creator.
    const moved = await api('PUT', `/oncall/overrides/${o.body.id}`, { userId: cem.id, coversUserId: ana.id, startsAt: startsAt + HOUR, endsAt: endsAt + HOUR, note: 'dentist' }, ben.accessToken);
    expect(moved.body).toMatchObject({ id: o.body.id, startsAt: startsAt + HOUR, createdBy: ben.id });
    expect((await api('PUT', `/oncall/overrides/${o.body.id}`, { userId: 'nobody', startsAt, endsAt })).status).toBe(422);
    await api('PUT', `/oncall/overrides/${o.body.id}`, { userId: cem.id, coversUserId: ana.id, startsAt, endsAt, note: 'dentist' });
    expect((await api('PUT', '/oncall/overrides/missing', { userId: cem.id, startsAt, endsAt })).status).toBe(404);
  });

  it('serves an iCal feed at a secret address that a real parser reads, matching the rotation; revoking it ends access', async () => {
    const feed = await api('POST', '/oncall/feeds', { scheduleId }, ben.accessToken);
    expect(feed.status).toBe(201);
    expect(feed.body.path).toMatch(/^\/oncall\/feeds\/[A-Za-z0-9_-]{32}\.ics$/);
    expect(feed.body.url).toBe(`${env.server.url}/api/v1${feed.body.path}`);
    const res = await env.server.api('GET', `/api/v1${feed.body.path}`); // no sign-in
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    const cal = new ICAL.Component(ICAL.parse(res.body as string));
    const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const expected = (await api('GET', `/oncall/schedules/${scheduleId}/shifts?from=${env.clock.now() - 14 * DAY}&to=${env.clock.now() + 90 * DAY}`)).body.final;
    expect(events).toHaveLength(expected.length);
    expect(events.map((e) => [e.summary, e.startDate.toUnixTime() * 1000, e.endDate.toUnixTime() * 1000])).toEqual(expected.map((s: any) => [`On call: ${s.userName}`, s.start, s.end]));
    expect(events.slice(0, 3).map((e) => String(e.attendees[0]!.getFirstValue()).toLowerCase())).toEqual(['mailto:ana@example.com', 'mailto:cem@example.com', 'mailto:ana@example.com']);
    // Weekly, alternating, on Mondays 09:00 Berlin time: 08:00 UTC in winter, 07:00 UTC after the spring change.
    const bens = events.filter((e) => e.summary === 'On call: Ben Brandt').map((e) => new Date(e.startDate.toUnixTime() * 1000).toISOString());
    expect(bens.slice(0, 2)).toEqual(['2026-01-12T08:00:00.000Z', '2026-01-26T08:00:00.000Z']);
    const starts = events.map((e) => new Date(e.startDate.toUnixTime() * 1000).toISOString());
    expect(starts).toEqual(expect.arrayContaining(['2026-03-23T08:00:00.000Z', '2026-03-30T07:00:00.000Z']));

    expect((await env.server.api('GET', `/api/v1/oncall/feeds/${'x'.repeat(32)}.ics`)).status).toBe(404);
    expect((await env.server.api('GET', '/api/v1/oncall/feeds/short.ics')).status).toBe(400);
    expect((await api('DELETE', `/oncall/feeds/${feed.body.id}`, undefined, ana.accessToken)).status).toBe(403);
    expect((await api('GET', '/oncall/feeds', undefined, ben.accessToken)).body).toEqual([expect.objectContaining({ id: feed.body.id, lastUsedAt: env.clock.now() })]);
    expect((await api('DELETE', `/oncall/feeds/${feed.body.id}`, undefined, ben.accessToken)).status).toBe(204);
    expect((await env.server.api('GET', `/api/v1${feed.body.path}`)).status).toBe(404);

    // A personal feed: only one's own shifts, across schedules; another's only for an admin.
    expect((await api('POST', '/oncall/feeds', { userId: ana.id }, ben.accessToken)).status).toBe(403);
    const mine = await api('POST', '/oncall/feeds', { userId: cem.id }, cem.accessToken);
    const text = (await env.server.api('GET', `/api/v1${mine.body.path}`)).body as string;
    const own = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(own.map((e) => [e.summary, e.startDate.toUnixTime() * 1000])).toEqual([['On call: Ops', Date.UTC(2026, 0, 6, 17)]]);
  });

  it('imports Grafana OnCall and PagerDuty exports as overrides or a layer, with clear errors for bad files', async () => {
    const grafana = [
      'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Grafana Labs//Grafana On-Call//', 'BEGIN:VTIMEZONE', 'TZID:Europe/Berlin', 'BEGIN:STANDARD', 'DTSTART:19701025T030000', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU', 'END:STANDARD', 'BEGIN:DAYLIGHT', 'DTSTART:19700329T020000', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU', 'END:DAYLIGHT', 'END:VTIMEZONE',
      'BEGIN:VEVENT', 'UID:g-1', 'SUMMARY:[L1] ben', 'DTSTART;TZID=Europe/Berlin:20260108T180000', 'DTEND;TZID=Europe/Berlin:20260108T220000', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:g-2', 'SUMMARY:[L1] zoe', 'DTSTART:20260109T180000Z', 'DTEND:20260109T220000Z', 'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    const g = await api('POST', `/oncall/schedules/${scheduleId}/import`, { ics: grafana });
    expect(g.status).toBe(200);
    expect(g.body).toEqual({ created: 1, as: 'overrides', skipped: [{ uid: 'g-2', reason: 'no OpsDesk user matches "[L1] zoe"' }] });
    const thursday = await api('GET', `/oncall/schedules/${scheduleId}/shifts?from=${Date.UTC(2026, 0, 8, 17)}&to=${Date.UTC(2026, 0, 8, 21)}`);
    expect(thursday.body.final).toEqual([expect.objectContaining({ userId: ben.id, layer: 'override' })]);
    // Importing the same file again replaces, not duplicates.
    await api('POST', `/oncall/schedules/${scheduleId}/import`, { ics: grafana });
    expect((await api('GET', `/oncall/schedules/${scheduleId}`)).body.overrides.filter((o: any) => o.note === 'imported g-1')).toHaveLength(1);

    const pagerduty = [
      'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//PagerDuty Inc.//PagerDuty Calendar 1.0//EN',
      'BEGIN:VEVENT', 'UID:pd-1', 'SUMMARY:On Call - Cem Celik - Ops', 'ATTENDEE;CN=Cem Celik:mailto:cem@example.com', 'DTSTART:20260201T080000Z', 'DTEND:20260202T080000Z', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:pd-2', 'SUMMARY:On Call - Ana Alves - Ops', 'DTSTART:20260202T080000Z', 'DTEND:20260203T080000Z', 'RRULE:FREQ=WEEKLY;COUNT=2', 'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    const pd = await api('POST', `/oncall/schedules/${scheduleId}/import`, { ics: pagerduty, as: 'layer', layer: 2 });
    expect(pd.body).toEqual({ created: 3, as: 'layer', skipped: [] });
    const feb = await api('GET', `/oncall/schedules/${scheduleId}/shifts?from=${Date.UTC(2026, 1, 1)}&to=${Date.UTC(2026, 1, 12)}`);
    expect(feb.body.layers.map((l: any) => l.layer)).toEqual([2, 1]);
    expect(feb.body.layers[0].shifts.map((s: any) => [s.userName, s.start])).toEqual([
      ['Cem Celik', Date.UTC(2026, 1, 1, 8)],
      ['Ana Alves', Date.UTC(2026, 1, 2, 8)],
      ['Ana Alves', Date.UTC(2026, 1, 9, 8)],
    ]);

    expect((await api('POST', `/oncall/schedules/${scheduleId}/import`, { ics: 'hello' })).body.message).toMatch(/^not an iCalendar file/);
    expect((await api('POST', `/oncall/schedules/${scheduleId}/import`, { ics: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR' })).body.message).toBe('the calendar has no events (VEVENT) to import');
    const nobody = await api('POST', `/oncall/schedules/${scheduleId}/import`, { ics: grafana.replace('[L1] ben', '[L1] yan') });
    expect(nobody.status).toBe(422);
    expect(nobody.body.message).toMatch(/no event could be imported \(g-1: no OpsDesk user matches "\[L1\] yan"; g-2/);
  });

  it('tells the incoming and the outgoing person at the hand-off, once', async () => {
    const db = env.server.services.database.db;
    const notices = () => db.selectFrom('notification_deliveries').select(['channel', 'target', 'payload']).where('alert_id', 'is', null).where('channel', '=', 'desktop').execute();
    const m = monitoringOf(env.server);
    await m.tick(); // the schedule's first hand-off is hours old: history, not announced
    expect(await notices()).toHaveLength(0);
    env.clock.set(Date.UTC(2026, 0, 6, 17, 1)); // Cem's override began a minute ago
    await m.tick();
    await m.tick();
    const sent = (await notices()).map((n) => [n.target, JSON.parse(n.payload).subject]);
    expect(sent.sort()).toEqual(
      [
        [cem.id, 'You are on call now: Ops from Ana Alves'],
        [ana.id, 'Your on-call shift ended: Ops'],
      ].sort(),
    );
  });

  it('deleting a schedule removes its rotations, overrides and feeds', async () => {
    env.clock.set(Date.UTC(2026, 0, 5, 13)); // back within the access tokens' lifetime
    expect((await api('DELETE', `/oncall/schedules/${scheduleId}`, undefined, ana.accessToken)).status).toBe(403);
    expect((await api('DELETE', `/oncall/schedules/${scheduleId}`)).status).toBe(204);
    expect((await api('GET', `/oncall/schedules/${scheduleId}`)).status).toBe(404);
    const db = env.server.services.database.db;
    expect(await db.selectFrom('oncall_rotations').select('id').where('schedule_id', '=', scheduleId).execute()).toHaveLength(0);
    expect((await api('GET', '/oncall/now')).body).toEqual([]);
  });
});
