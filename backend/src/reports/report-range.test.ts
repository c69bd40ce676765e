import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, DATABASES } from '../../test-support/harness';
import { startMonitoringServer, type MonitoringTestEnv, monitoringOf } from '../../test-support/monitoring';
import { startSmtp } from '../../test-support/smtp-capture';
import { ReportMailer } from './report-mailer';

const HOSTILE = '=cmd|"/c calc"!A1 <img src=x onerror=alert(1)>';

describe.each(DATABASES)('range reports and report emails on %s', (kind) => {
  let env: MonitoringTestEnv;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let scheduleId: string;
  const api = (method: string, url: string, body?: unknown, token = env.admin.accessToken) => env.server.api(method, `/api/v1${url}`, { token, body });

  beforeAll(async () => {
    smtp = await startSmtp();
    env = await startMonitoringServer(kind, { SMTP_URL: smtp.url });
    const m = monitoringOf(env.server);
    const who = { id: env.oncall.id, email: 'oncall@example.com', ip: null };
    // A schedule and a policy for service=db that pages it and Omar; the other alerts follow the default policy.
    const schedule = await api('POST', '/oncall/schedules', { name: 'DB rota', timeZone: 'UTC' });
    expect(schedule.status).toBe(201);
    scheduleId = schedule.body.id;
    const policy = await api('POST', '/escalation-policies', { name: 'Database', match: { service: 'db' }, levels: [{ name: 'DBA', afterMinutes: 0, roles: [], userIds: [env.oncall.id], scheduleIds: [scheduleId] }] });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
    // 2026-01-05 12:00 UTC: A (db, critical) acked after 60 s, resolved after 300 s; B acked after 180 s; C open.
    const [a] = await m.alerts.raise([{ source: 'alertmanager', scope: 'r', name: HOSTILE, severity: 'critical', labels: { service: 'db' } }]);
    const [b] = await m.alerts.raise([{ source: 'generic', scope: 'r', name: 'B', severity: 'high', labels: { n: 'b' } }]);
    await m.alerts.raise([{ source: 'generic', scope: 'r', name: 'C', severity: 'high', labels: { n: 'c' } }]);
    await m.escalator.tick();
    await m.idle();
    env.clock.advance(60_000);
    await m.alerts.acknowledge(who, a!.alert.id);
    env.clock.advance(120_000);
    await m.alerts.acknowledge(who, b!.alert.id);
    env.clock.advance(120_000);
    await m.alerts.resolve(who, a!.alert.id);
    // Tickets: two resolved in time, one left open in another queue.
    const q1 = await api('POST', '/queues', { name: 'Service desk' });
    const q2 = await api('POST', '/queues', { name: '=Payroll' });
    for (const [queue, resolve] of [[q1, true], [q1, true], [q2, false]] as const) {
      const t = await api('POST', '/tickets', { queueId: queue.body.id, subject: 'x', requester: { name: 'R', email: 'r@example.com' }, priority: 'low' });
      expect(t.status).toBe(201);
      if (resolve) expect((await api('PATCH', `/tickets/${t.body.id}`, { status: 'resolved', version: t.body.version })).status).toBe(200);
    }
    // One resolved ten days later, long past its resolution deadline (no SLA watcher ran: the due time decides).
    const late = await api('POST', '/tickets', { queueId: q2.body.id, subject: 'late', requester: { name: 'R', email: 'r@example.com' }, priority: 'low' });
    const back = env.clock.now();
    env.clock.set(Date.UTC(2026, 0, 15, 9));
    const relogin = await env.server.api('POST', '/api/v1/auth/login', { body: { email: ADMIN.email, password: ADMIN.password } });
    expect((await api('PATCH', `/tickets/${late.body.id}`, { status: 'resolved', version: late.body.version }, relogin.body.accessToken)).status).toBe(200);
    env.clock.set(back);
  });
  afterAll(async () => {
    await env?.server.dispose();
    await smtp?.close();
  });

  it('breaks a day down by severity, policy and schedule, source, person and queue', async () => {
    const res = await api('GET', '/reports/range?period=daily&date=2026-01-05&tz=UTC', undefined, env.oncall.accessToken);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const r = res.body;
    expect(r).toMatchObject({ period: 'daily', timeZone: 'UTC', from: Date.UTC(2026, 0, 5), to: Date.UTC(2026, 0, 6), label: '2026-01-05' });
    expect(r.summary).toEqual({ key: 'all', label: 'All alerts', alerts: 3, acknowledged: 2, resolved: 1, mttaSeconds: 120, mttrSeconds: 300 });
    expect(r.bySeverity).toEqual([
      { key: 'high', label: 'high', alerts: 2, acknowledged: 1, resolved: 0, mttaSeconds: 180, mttrSeconds: null },
      { key: 'critical', label: 'critical', alerts: 1, acknowledged: 1, resolved: 1, mttaSeconds: 60, mttrSeconds: 300 },
    ]);
    expect(r.byPolicy.map((p: { label: string; alerts: number }) => [p.label, p.alerts])).toEqual([['Default', 2], ['Database', 1]]);
    expect(r.bySchedule).toEqual([{ key: scheduleId, label: 'DB rota', alerts: 1, acknowledged: 1, resolved: 1, mttaSeconds: 60, mttrSeconds: 300 }]);
    expect(r.bySource).toEqual([{ source: 'generic', alerts: 2 }, { source: 'alertmanager', alerts: 1 }]);
    expect(r.perDay).toHaveLength(1);
    expect(r.perDay[0]).toMatchObject({ day: '2026-01-05', alerts: 3 });
    // Omar is paged for each alert at level 0 (the default policy's on-call role, the Database policy's user).
    const omar = r.pagesPerPerson.find((p: { userId: string }) => p.userId === env.oncall.id);
    expect(omar).toMatchObject({ name: 'Omar Oncall', pages: 3, alerts: 3, acknowledged: 2 });
    expect(r.perDay[0].pages).toBe(r.pagesPerPerson.reduce((n: number, p: { pages: number }) => n + p.pages, 0));
    expect(r.slaByQueue.map((q: { queue: string; created: number; resolved: number; met: number; compliancePercent: number | null }) => [q.queue, q.created, q.resolved, q.met, q.compliancePercent])).toEqual([
      ['=Payroll', 2, 0, 0, null],
      ['Service desk', 2, 2, 2, 100],
    ]);
  });

  it('takes the day and the ISO week in the reader\'s time zone, and checks the range', async () => {
    // 12:00 UTC on Jan 5 is already Jan 6 in Auckland (UTC+13): Auckland's Jan 5 holds none of the alerts.
    const auckland = await api('GET', '/reports/range?period=daily&date=2026-01-05&tz=Pacific/Auckland');
    expect(auckland.body).toMatchObject({ from: Date.UTC(2026, 0, 4, 11), to: Date.UTC(2026, 0, 5, 11) });
    expect(auckland.body.summary.alerts).toBe(0);
    const ny = await api('GET', '/reports/range?period=daily&date=2026-01-05&tz=America/New_York');
    expect(ny.body.summary.alerts).toBe(3);
    const week = await api('GET', '/reports/range?period=weekly&date=2026-01-07&tz=Europe/Berlin');
    expect(week.body).toMatchObject({ from: Date.UTC(2026, 0, 4, 23), to: Date.UTC(2026, 0, 11, 23), label: '2026-W02 (Jan 5 – Jan 11)' });
    expect(week.body.perDay.map((d: { day: string }) => d.day)).toEqual(['2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09', '2026-01-10', '2026-01-11']);
    expect(week.body.perDay[0].alerts).toBe(3);
    const custom = await api('GET', '/reports/range?period=custom&from=2026-01-01&to=2026-01-31&tz=UTC');
    expect(custom.body.perDay).toHaveLength(31);
    expect(custom.body.summary.alerts).toBe(3);
    expect(custom.body.slaByQueue.find((q: { queue: string }) => q.queue === '=Payroll')).toMatchObject({ created: 2, resolved: 1, met: 0, compliancePercent: 0 });
    expect((await api('GET', '/reports/range?period=custom&from=2026-01-01&tz=UTC')).body.message).toMatch(/needs from and to/);
    expect((await api('GET', '/reports/range?period=custom&from=2026-01-01&to=2026-12-31')).body.message).toMatch(/at most 92 days/);
    expect((await api('GET', '/reports/range?tz=Mars/Olympus')).body.message).toMatch(/unknown time zone/);
    expect((await api('GET', '/reports/range?date=2026-02-30')).status).toBe(400);
  });

  it('exports CSV with formula cells escaped and HTML with markup escaped', async () => {
    const csv = await api('GET', '/reports/range/export?format=csv&period=daily&date=2026-01-05&tz=UTC', undefined, env.oncall.accessToken);
    expect(csv.body).toMatchObject({ filename: 'opsdesk-daily-2026-01-05.csv', contentType: 'text/csv' });
    const lines = csv.body.content.split('\n');
    expect(lines).toContain('by_severity,critical,1,1,1,60,300');
    expect(lines).toContain("sla_by_queue,'=Payroll,2,0,0,0,");
    expect(lines).toContain('by_source,alertmanager,1');
    // The hostile alert name: a formula cell escaped with an apostrophe, quoted for its quotes.
    expect(lines).toContain(`top_alerts,"'=cmd|""/c calc""!A1 <img src=x onerror=alert(1)>",1,1,1,60,300`);
    const html = await api('GET', '/reports/range/export?format=html&period=daily&date=2026-01-05&tz=UTC');
    expect(html.body.content).toContain('<td>=Payroll</td>');
    expect(html.body.content).toContain('<td>=cmd|&quot;/c calc&quot;!A1 &lt;img src=x onerror=alert(1)&gt;</td>');
    expect(html.body.content).not.toContain('<img');
    expect(html.body.content).toContain('<h1>OpsDesk daily report: 2026-01-05</h1>');
  });

  it('lets admins manage schedules and emails each period once, even with two instances', async () => {
    expect((await api('POST', '/report-schedules', { name: 'Daily', period: 'daily', recipients: ['lead@example.com'] }, env.oncall.accessToken)).status).toBe(403);
    expect((await api('POST', '/report-schedules', { name: 'Daily', period: 'daily', recipients: ['not-an-address'] })).body.message).toMatch(/email address/);
    expect((await api('POST', '/report-schedules', { name: 'Daily', period: 'daily', recipients: ['a@example.com'], timeZone: 'Nowhere/City' })).body.message).toMatch(/unknown time zone/);
    const created = await api('POST', '/report-schedules', { name: 'Daily ops', period: 'daily', recipients: ['lead@example.com', 'ops@example.com'], timeZone: 'UTC', hour: 6 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // Jan 6 05:00 UTC: Jan 5 is not due before 06:00, so the latest due day is Jan 4 (empty, sent).
    env.clock.set(Date.UTC(2026, 0, 6, 5));
    const s = env.server.services;
    const second = new ReportMailer(s.database.db, env.clock, s.reportSchedules, s.reports, () => s.notifier.smtp(), (what, err) => { throw new Error(`${what}: ${String(err)}`); });
    expect(await Promise.all([s.reportMailer.round(), second.round()])).toEqual(expect.arrayContaining([1, 0]));
    env.clock.set(Date.UTC(2026, 0, 6, 6, 30));
    const rounds = await Promise.all([s.reportMailer.round(), second.round(), s.reportMailer.round()]);
    expect(rounds.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await second.round()).toBe(0);
    const reports = smtp.mails.filter((m) => m.to.includes('lead@example.com'));
    expect(reports).toHaveLength(2);
    const mail = await simpleParser(reports[1]!.data);
    expect(reports[1]!.to).toEqual(['lead@example.com', 'ops@example.com']);
    expect(mail.subject).toBe('OpsDesk daily report: 2026-01-05');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toMatch(/MTTA \/ MTTR by schedule<\/h2><table>.*<td>DB rota<\/td><td class="n">1<\/td>/s);
    expect(mail.text).toContain('Alerts: 3, acknowledged 2, resolved 1');
    const listed = await api('GET', '/report-schedules');
    expect(listed.body[0]).toMatchObject({ name: 'Daily ops', last: { label: '2026-01-05', status: 'sent' } });
    expect((await api('PATCH', `/report-schedules/${created.body.id}`, { enabled: false })).body.enabled).toBe(false);
    expect((await api('DELETE', `/report-schedules/${created.body.id}`)).body).toEqual({ deleted: true });
    expect((await api('GET', '/report-schedules')).body).toEqual([]);
  });
});
