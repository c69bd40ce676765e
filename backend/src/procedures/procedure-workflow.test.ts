import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserAndLogin, DATABASES, startTestServer, type TestServer } from '../../test-support/harness';
import { ManualClock } from '../platform/clock';
import { RECHECK_MS } from './procedure-engine';

const H = 3_600_000;
const ADMIN = { email: 'ada@example.com', password: 'correct-horse-battery-1', role: 'admin' as const };
const ADMIN2 = { email: 'bob@example.com', password: 'correct-horse-battery-2', role: 'admin' as const };
const ONCALL = { email: 'otto@example.com', password: 'correct-horse-battery-3', role: 'oncall' as const };

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
type Step = { key: string; status: string; completedBy: string | null; result: { detail?: string } | null; jobId: string | null; notes: { author: string; body: string }[]; runbook: string | null; confirmation: string | null; auto: boolean };
const stepOf = (run: { steps: Step[] }, key: string) => run.steps.find((x) => x.key === key)!;

describe.each(DATABASES)('procedures as people work them (%s)', (kind) => {
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 7, 0));
  let s: TestServer;
  let admin: string;
  let adminId: string;
  let admin2: string;
  let oncall: { id: string; accessToken: string };
  let oncallId: string;

  beforeAll(async () => {
    s = await startTestServer(kind, { clock, env: { OPS_SCHEDULERS: 'false', MONITORING_LOOPS: 'false', JOB_CONCURRENCY: '1' } });
    const a = await createUserAndLogin(s, ADMIN);
    admin = a.accessToken;
    adminId = a.id;
    admin2 = (await createUserAndLogin(s, ADMIN2)).accessToken;
    oncall = await createUserAndLogin(s, ONCALL);
    oncallId = oncall.id;
  });
  afterAll(() => s.dispose());

  const api = (token: string) => ({
    get: (path: string) => s.api('GET', `/api/v1${path}`, { token }),
    post: (path: string, body?: unknown) => s.api('POST', `/api/v1${path}`, { token, body: body ?? {} }),
  });
  const relogin = async () => {
    admin = (await s.api('POST', '/api/v1/auth/login', { body: ADMIN })).body.accessToken;
    admin2 = (await s.api('POST', '/api/v1/auth/login', { body: ADMIN2 })).body.accessToken;
    oncall.accessToken = (await s.api('POST', '/api/v1/auth/login', { body: ONCALL })).body.accessToken;
  };

  it('lists emergency procedures with the manuals\' levels, checklists with their schedules and roles', async () => {
    const defs = (await api(admin).get('/procedures')).body as { id: string; category: string; levels: { id: string; responseMinutes: number }[]; assignedRole: string; schedule: string | null }[];
    const by = Object.fromEntries(defs.map((d) => [d.id, d]));
    expect(by['security-incident']).toMatchObject({ category: 'emergency', assignedRole: 'admin' });
    expect(by['security-incident']!.levels.map((l) => l.id)).toEqual(['4', '3', '2', '1']);
    expect(by['system-outage']!.levels.map((l) => [l.id, l.responseMinutes])).toEqual([['critical', 15], ['high', 60], ['medium', 240], ['low', 1440]]);
    expect(by['daily-checklist']).toMatchObject({ category: 'checklist', assignedRole: 'oncall', schedule: '0 8 * * *', levels: [] });
    expect(by['quarterly-checklist']).toMatchObject({ assignedRole: 'admin', schedule: '0 8 1 1,4,7,10 *' });
  });

  it('starts an emergency at a level: due within its response time; a wrong level is refused, admin procedures need an admin', async () => {
    const bad = await api(admin).post('/procedures/runs', { procedure: 'security-incident', level: '9' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/level must be one of 4, 3, 2, 1/);
    expect((await api(oncall.accessToken).post('/procedures/runs', { procedure: 'security-incident', level: '3' })).status).toBe(403);
    const run = (await api(admin).post('/procedures/runs', { procedure: 'security-incident', level: '3' })).body;
    expect(run).toMatchObject({ level: '3', assignedRole: 'admin', dueAt: clock.now() + 60 * 60_000 });
    expect(stepOf(run, 'notify-security')).toMatchObject({ status: 'done', auto: true });
    expect(stepOf(run, 'notify-security').result!.detail).toMatch(/2 admin\(s\) notified/);
    // The manual's workflow: acknowledge and declare the incident, at the level's severity, the starter commanding.
    expect(stepOf(run, 'declare-incident').status).toBe('done');
    const incident = (await api(admin).get(`/incidents/${run.state.incidentId}`)).body;
    expect(incident).toMatchObject({ title: 'Security incident', severity: 'high', commanderId: adminId, state: 'detected' });
    const outage = (await api(oncall.accessToken).post('/procedures/runs', { procedure: 'system-outage' })).body;
    expect(outage).toMatchObject({ level: 'critical', dueAt: clock.now() + 15 * 60_000 });
    expect((await api(oncall.accessToken).get(`/incidents/${outage.state.incidentId}`)).body).toMatchObject({ severity: 'critical', commanderId: oncallId });
  });

  it('keeps notes per step with their authors, oldest first, at any time', async () => {
    const run = (await api(admin).get('/procedures/runs?procedure=security-incident')).body[0];
    expect((await api(admin).post(`/procedures/runs/${run.id}/steps/isolate/notes`, { body: '  ' })).status).toBe(400);
    expect((await api(admin).post(`/procedures/runs/${run.id}/steps/ghost/notes`, { body: 'x' })).status).toBe(404);
    await api(admin).post(`/procedures/runs/${run.id}/steps/isolate/notes`, { body: 'host web-2 pulled' });
    clock.advance(1000);
    const r = (await api(oncall.accessToken).post(`/procedures/runs/${run.id}/steps/isolate/notes`, { body: 'tokens revoked' })).body;
    expect(stepOf(r, 'isolate').notes.map((n) => `${n.author}: ${n.body}`)).toEqual([`${ADMIN.email}: host web-2 pulled`, `${ONCALL.email}: tokens revoked`]);
    expect(stepOf(r, 'assess').notes).toEqual([]);
  });

  it('a daily checklist ticks what its checks prove and re-checks the rest; a person ticks or notes what remains', async () => {
    const run = (await s.services.procedures.createScheduled('daily-checklist'))!;
    expect(run.dueAt).toBe(Date.UTC(2026, 5, 1, 8, 0)); // created 07:00 by hand of the clock: due at the next 08:00
    let r = (await api(oncall.accessToken).get(`/procedures/runs/${run.id}`)).body;
    expect(r.status).toBe('waiting');
    expect(stepOf(r, 'alerts')).toMatchObject({ status: 'done', completedBy: 'system (automatic check)' });
    expect(stepOf(r, 'backup')).toMatchObject({ status: 'waiting' });
    expect(stepOf(r, 'backup').result!.detail).toMatch(/no successful backup yet/);
    expect(stepOf(r, 'resources').status).toBe('waiting'); // the disk is proven, CPU and memory have no samples
    expect(stepOf(r, 'resources').result!.detail).toMatch(/data folder disk .* %; no CPU\/memory samples/);
    expect(stepOf(r, 'performance')).toMatchObject({ status: 'waiting', auto: false });

    // A backup finishes and host samples arrive: the next re-check proves both.
    const backup = (await api(admin).post('/jobs', { runbook: 'backup-database', params: { kind: 'manual' } })).body;
    await until(() => api(admin).get(`/jobs/${backup.id}`), (x) => x.body.status === 'succeeded');
    await s.services.metricStore.write([
      { name: 'host_cpu_percent', value: 21 },
      { name: 'host_memory_percent', value: 40 },
      { name: 'host_disk_used_percent', labels: { mount: '/' }, value: 50 },
    ]);
    clock.advance(RECHECK_MS);
    await relogin();
    r = await until(() => api(oncall.accessToken).get(`/procedures/runs/${run.id}`).then((x) => x.body), (x) => stepOf(x, 'backup').status === 'done' && stepOf(x, 'resources').status === 'done');
    expect(stepOf(r, 'resources').result!.detail).toMatch(/under the warning thresholds: .*CPU 21.0 %, memory 40.0 %, disk \/ 50.0 %/);
    expect(stepOf(r, 'backup').completedBy).toBe('system (automatic check)');

    // A firing critical alert turns "Review alerts" back only when someone re-checks it; it was done.
    await s.services.opsIntegrations.raiseAlert({ name: 'DiskFull', severity: 'critical', summary: 'disk full', labels: {} });
    expect((await api(oncall.accessToken).post(`/procedures/runs/${run.id}/steps/alerts/retry`)).status).toBe(409);

    // Every line but the performance review was proven by a check; a person ticks that one.
    expect(r.steps.filter((x: Step) => x.status !== 'done').map((x: Step) => x.key)).toEqual(['performance']);
    expect(r.steps.filter((x: Step) => x.completedBy === 'system (automatic check)')).toHaveLength(5);
    const done = (await api(oncall.accessToken).post(`/procedures/runs/${run.id}/steps/performance/complete`, { note: 'p95 420 ms' })).body;
    expect(stepOf(done, 'performance')).toMatchObject({ status: 'done', completedBy: ONCALL.email });
    expect(done.status).toBe('completed');
    const history = (await api(oncall.accessToken).get('/procedures/runs?procedure=daily-checklist&open=false')).body;
    expect(history.map((x: { id: string }) => x.id)).toContain(run.id);
    expect((await api(oncall.accessToken).get('/procedures/runs?open=true')).body.map((x: { id: string }) => x.id)).not.toContain(run.id);
  });

  it('a checklist runbook step is run by a person, as that person, through the job service', async () => {
    const run = (await api(oncall.accessToken).post('/procedures/runs', { procedure: 'weekly-checklist' })).body;
    expect(stepOf(run, 'vacuum')).toMatchObject({ status: 'waiting', runbook: 'vacuum-analyze', confirmation: null, jobId: null });
    const r = (await api(oncall.accessToken).post(`/procedures/runs/${run.id}/steps/vacuum/run`, {})).body;
    const jobId = stepOf(r, 'vacuum').jobId!;
    const job = (await api(admin).get(`/jobs/${jobId}`)).body;
    expect(job).toMatchObject({ runbook: 'vacuum-analyze', requestedBy: oncallId });
    const after = await until(() => api(oncall.accessToken).get(`/procedures/runs/${run.id}`).then((x) => x.body), (x) => stepOf(x, 'vacuum').status === 'done');
    expect(stepOf(after, 'vacuum').completedBy).toBe('system (job)');
    expect((await api(oncall.accessToken).post(`/procedures/runs/${run.id}/steps/performance/run`, {})).status).toBe(409);
  });

  it('the data-loss restore step needs the typed name and waits for a second admin, as any restore does', async () => {
    const run = (await api(admin).post('/procedures/runs', { procedure: 'data-loss', level: 'high' })).body;
    expect(run.dueAt).toBe(clock.now() + H);
    for (let i = 0; i < 200; i++) {
      const r = (await api(admin).get(`/procedures/runs/${run.id}`)).body;
      const current = r.steps.find((x: Step) => x.status !== 'done' && x.status !== 'skipped');
      if (current.key === 'restore') break;
      if (current.status === 'waiting') await api(admin).post(`/procedures/runs/${run.id}/steps/${current.key}/complete`, { note: 'ok' });
      else await new Promise((res) => setTimeout(res, 100));
    }
    const r = (await api(admin).get(`/procedures/runs/${run.id}`)).body;
    expect(stepOf(r, 'restore')).toMatchObject({ status: 'waiting', runbook: 'restore-database', confirmation: 'restore-database' });
    expect(stepOf(r, 'preserve-evidence').status).toBe('done');
    // The run is assigned to admins: an on-call user reads it and adds notes, but does not act on it.
    expect((await api(oncall.accessToken).post(`/procedures/runs/${run.id}/steps/restore/run`, { confirmation: 'restore-database' })).status).toBe(403);
    expect((await api(oncall.accessToken).post(`/procedures/runs/${run.id}/steps/restore/complete`, { outcome: 'skipped' })).status).toBe(403);
    expect((await api(oncall.accessToken).post(`/procedures/runs/${run.id}/steps/test-application/retry`)).status).toBe(403);
    expect((await api(oncall.accessToken).post(`/procedures/runs/${run.id}/steps/restore/notes`, { body: 'seen from on-call' })).status).toBe(201);
    const unconfirmed = await api(admin).post(`/procedures/runs/${run.id}/steps/restore/run`, {});
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.message).toMatch(/type "restore-database"/);
    const started = (await api(admin).post(`/procedures/runs/${run.id}/steps/restore/run`, { confirmation: 'restore-database' })).body;
    const job = (await api(admin).get(`/jobs/${stepOf(started, 'restore').jobId}`)).body;
    expect(job).toMatchObject({ runbook: 'restore-database', status: 'awaiting_approval', params: { backupId: r.state.candidate } });
    const waiting = await until(() => api(admin).get(`/procedures/runs/${run.id}`).then((x) => x.body), (x) => /waits for approval/.test(stepOf(x, 'restore').result?.detail ?? ''));
    expect(stepOf(waiting, 'restore').status).toBe('running');
    expect((await api(admin2).post(`/jobs/${job.id}/reject`, { reason: 'drill' })).status).toBe(200);
    const failed = await until(() => api(admin).get(`/procedures/runs/${run.id}`).then((x) => x.body), (x) => x.status === 'failed');
    expect(stepOf(failed, 'restore').result!.detail).toMatch(/restore-database cancelled: rejected by bob@example.com: drill/);
    // The person decides: nothing must be restored after all; the procedure goes on and writes return.
    await api(admin).post(`/procedures/runs/${run.id}/steps/restore/complete`, { outcome: 'skipped', note: 'drill: restore rejected on purpose' });
    const end = await until(() => api(admin).get(`/procedures/runs/${run.id}`).then((x) => x.body), (x) => x.status === 'completed' || stepOf(x, 'test-application').status === 'waiting');
    if (end.status !== 'completed') await api(admin).post(`/procedures/runs/${run.id}/steps/test-application/complete`, {});
    await until(() => api(admin).get(`/procedures/runs/${run.id}`).then((x) => x.body), (x) => x.status === 'completed');
    expect((await api(admin).get('/maintenance/mode')).body.active).toBe(false);
  });

  it('reminds the role once when a run falls due unfinished', async () => {
    const run = (await api(oncall.accessToken).post('/procedures/runs', { procedure: 'system-outage', level: 'high' })).body;
    expect(await s.services.procedures.reminders.tick()).toBe(0);
    const before = await s.services.database.db.selectFrom('notification_deliveries').select('id').where('alert_id', 'is', null).execute();
    clock.advance(61 * 60_000);
    await relogin();
    expect(await s.services.procedures.reminders.tick()).toBeGreaterThanOrEqual(1); // the earlier outage run is due too
    expect(await s.services.procedures.reminders.tick()).toBe(0);
    const r = (await api(oncall.accessToken).get(`/procedures/runs/${run.id}`)).body;
    expect(r.remindedAt).toBe(clock.now());
    const after = await s.services.database.db.selectFrom('notification_deliveries').select(['target', 'payload']).where('alert_id', 'is', null).execute();
    expect(after.length).toBeGreaterThan(before.length);
    expect(after.some((d) => d.target === oncallId && /Overdue: Emergency: system outage \(high\)/.test(d.payload))).toBe(true);
  });

  it('gives maintenance 48 hours\' notice: at scheduling when closer, else when the 48 hours begin', async () => {
    const now = clock.now();
    const soon = (await api(admin).post('/maintenance', { title: 'Soon', startsAt: now + 10 * H, endsAt: now + 11 * H })).body;
    expect(soon.noticeSentAt).toBe(now);
    const later = (await api(admin).post('/maintenance', { title: 'Later', startsAt: now + 72 * H, endsAt: now + 74 * H })).body;
    expect(later.noticeSentAt).toBeNull();
    clock.advance(23 * H);
    await s.services.maintenanceWindows.tick();
    await relogin();
    expect((await api(admin).get(`/maintenance/${later.id}`)).body.noticeSentAt).toBeNull();
    clock.advance(2 * H);
    await s.services.maintenanceWindows.tick();
    await relogin();
    const noticed = (await api(admin).get(`/maintenance/${later.id}`)).body;
    expect(noticed.noticeSentAt).toBe(clock.now());
    expect(noticed.status).toBe('scheduled');
    const audit = await s.services.database.db.selectFrom('audit_log').select('action').where('target_id', '=', later.id).execute();
    expect(audit.filter((a) => a.action === 'maintenance.notice')).toHaveLength(1);
    await s.services.maintenanceWindows.tick();
    expect((await s.services.database.db.selectFrom('audit_log').select('action').where('target_id', '=', later.id).execute()).filter((a) => a.action === 'maintenance.notice')).toHaveLength(1);
  });
});
