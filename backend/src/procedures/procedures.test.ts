import { rmSync } from 'node:fs';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApiCaller, testConfig } from '../../test-support/harness';
import type { Config } from '../platform/config/config';
import { ManualClock } from '../platform/clock';
import { startServer } from '../app/server';
import { runCli } from '../cli';

const ADMIN = { email: 'admin@example.com', password: 'correct-horse-battery-1' };
const ADMIN2 = { email: 'admin2@example.com', password: 'correct-horse-battery-2' };

async function boot(config: Config, clock: ManualClock) {
  const server = await startServer(config, { clock });
  const api = makeApiCaller(server.url);
  const login = async (u: { email: string; password: string }) => (await api<{ accessToken: string }>('POST', '/api/v1/auth/login', { body: u })).body.accessToken;
  return { server, api, login };
}

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('restarts, wizards, windows, checklists and the CLI (sqlite)', () => {
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 1, 0));
  let config: Config;
  let s: Awaited<ReturnType<typeof boot>>;
  let token: string;
  let token2: string;

  beforeAll(async () => {
    config = await testConfig('sqlite', { JOB_WORKERS: '0', OPS_SCHEDULERS: 'false', JOB_CONCURRENCY: '1', MONITORING_LOOPS: 'false' });
    s = await boot(config, clock);
    await s.server.services.userService.create({ id: null, email: 't', ip: null }, { ...ADMIN, name: 'A', role: 'admin' });
    await s.server.services.userService.create({ id: null, email: 't', ip: null }, { ...ADMIN2, name: 'B', role: 'admin' });
    token = await s.login(ADMIN);
    token2 = await s.login(ADMIN2);
  });
  afterAll(async () => {
    await s.server.stop();
    rmSync(config.DATA_DIR, { recursive: true, force: true });
  });

  const get = (path: string) => s.api('GET', path, { token });
  const post = (path: string, body?: unknown) => s.api('POST', path, { token, body });

  it('keeps jobs across a backend restart: running → interrupted with a reason, queued → run after start', async () => {
    await s.api('PUT', '/api/v1/runbooks/commands/sleeper', { token, body: { title: 'Sleep', argv: [process.execPath, '-e', 'setTimeout(()=>{},60000)'], params: [], minRole: 'oncall' } });
    await s.api('PUT', '/api/v1/runbooks/commands/hello', { token, body: { title: 'Hello', argv: [process.execPath, '-e', "console.log('hello')"], params: [], minRole: 'oncall' } });
    const long = (await post('/api/v1/jobs', { runbook: 'sleeper' })).body;
    await until(() => get(`/api/v1/jobs/${long.id}`), (r) => r.body.status === 'running');
    const queued = (await post('/api/v1/jobs', { runbook: 'hello' })).body;
    expect((await get(`/api/v1/jobs/${queued.id}`)).body.status).toBe('queued'); // concurrency 1
    // a crash leaves a row in `running`; simulate one so the start-up recovery is exercised too
    await s.server.services.database.db.insertInto('jobs').values({ id: 'crashed-job', runbook: 'hello', params: '{}', status: 'running', requested_by: null, requested_by_email: 'x', approved_by: null, approved_at: null, created_at: clock.now(), updated_at: clock.now(), started_at: clock.now(), finished_at: null, exit_code: null, summary: null, result: null, reason: null, retry_of: null, timeout_ms: 1000, lock_key: null, log_seq: 0, cancel_requested_at: null, worker: 'old-host:1', heartbeat_at: clock.now() }).execute();

    await s.server.stop();
    s = await boot(config, clock);
    token = await s.login(ADMIN);
    token2 = await s.login(ADMIN2);
    const l = (await get(`/api/v1/jobs/${long.id}`)).body;
    expect(l.status).toBe('interrupted');
    expect(l.reason).toMatch(/shut down|restarted/);
    const crashed = (await get('/api/v1/jobs/crashed-job')).body;
    expect(crashed.status).toBe('interrupted');
    expect(crashed.reason).toMatch(/backend restarted while this job was running on old-host:1/);
    const q = await until(() => get(`/api/v1/jobs/${queued.id}`), (r) => r.body.status === 'succeeded');
    expect(q.body.summary).toMatch(/exited with 0/);
  });

  it('refuses writes with 503 and a clear message in maintenance mode, reads still work', async () => {
    s.server.services.maintenance.enter('restoring backup X');
    const w = await post('/api/v1/users', { email: 'x@example.com', name: 'x', role: 'agent', password: 'correct-horse-battery-7' });
    expect(w.status).toBe(503);
    expect(w.body.message).toMatch(/maintenance mode \(restoring backup X\)/);
    expect((await get('/api/v1/jobs')).status).toBe(200);
    expect((await post('/api/v1/jobs', { runbook: 'hello' })).status).toBe(201); // operating stays possible
    await s.server.services.maintenance.leave();
    expect((await get('/api/v1/maintenance/mode')).body.active).toBe(false);
  });

  it('runs the maintenance wizard, survives a restart in the watch step, and raises nothing when metrics hold', async () => {
    const run = (await post('/api/v1/procedures/runs', { procedure: 'maintenance', params: { title: 'June patching', tasks: [{ runbook: 'vacuum-analyze' }], watchMinutes: 60 } })).body;
    const watching = await until(() => get(`/api/v1/procedures/runs/${run.id}`), (r) => r.body.steps.find((x: { key: string }) => x.key === 'watch')?.result?.baseline !== undefined);
    const keys = watching.body.steps.map((x: { key: string; status: string }) => `${x.key}:${x.status}`);
    expect(keys).toEqual(['notify-users:done', 'backup:done', 'silence-alerts:done', 'record-version:done', 'task-1:done', 'verify-services:done', 'check-error-logs:done', 'reenable-alerts:done', 'completion-notice:done', 'watch:running']);
    expect(watching.body.rollbackBackupId).toBeTruthy();
    expect(watching.body.state.version).toBeTruthy();

    await s.server.stop();
    clock.advance(61 * 60_000);
    s = await boot(config, clock);
    token = await s.login(ADMIN);
    token2 = await s.login(ADMIN2);
    const done = await until(() => get(`/api/v1/procedures/runs/${run.id}`), (r) => r.body.status === 'completed');
    expect(done.body.steps.at(-1).status).toBe('done');
    expect(done.body.steps.at(-1).result.detail).toMatch(/error rate/);
  });

  it('raises an alert when the error rate rises in the hour after maintenance', async () => {
    const run = (await post('/api/v1/procedures/runs', { procedure: 'maintenance', params: { title: 'Risky change', watchMinutes: 60 } })).body;
    await until(() => get(`/api/v1/procedures/runs/${run.id}`), (r) => r.body.steps.at(-1).result?.baseline !== undefined);
    const labels = { method: 'GET', route: '/api/v1/tickets', status_code: '500' };
    s.server.services.metrics.httpRequests.inc(labels, 100);
    s.server.services.metrics.httpErrors.inc(labels, 40);
    clock.advance(61 * 60_000);
    token = await s.login(ADMIN);
    token2 = await s.login(ADMIN2);
    const done = await until(() => get(`/api/v1/procedures/runs/${run.id}`), (r) => r.body.status === 'completed');
    expect(done.body.steps.at(-1).result).toMatchObject({ ok: false });
    expect(done.body.steps.at(-1).result.detail).toMatch(/alert raised/);
    const alerts = await get('/api/v1/alerts?status=firing');
    expect(JSON.stringify(alerts.body)).toContain('PostMaintenanceRegression');
  });

  it('aborting a wizard offers rollback: a restore of the pre-maintenance backup awaiting a second admin', async () => {
    const run = (await post('/api/v1/procedures/runs', { procedure: 'maintenance', params: { title: 'Aborted', watchMinutes: 60 } })).body;
    const r = await until(() => get(`/api/v1/procedures/runs/${run.id}`), (x) => x.body.rollbackBackupId !== null);
    const abort = await post(`/api/v1/procedures/runs/${run.id}/abort`, { rollback: true, reason: 'tests' });
    expect(abort.status).toBe(200);
    expect(abort.body.run.status).toBe('aborted');
    const job = (await get(`/api/v1/jobs/${abort.body.rollbackJobId}`)).body;
    expect(job).toMatchObject({ runbook: 'restore-database', status: 'awaiting_approval', params: { backupId: r.body.rollbackBackupId } });
    expect((await s.api('POST', `/api/v1/jobs/${job.id}/reject`, { token: token2 })).status).toBe(200);
  });

  it('maintenance windows: announced when scheduled and started, alerts silenced during the window, unknown service 404', async () => {
    const socket: Socket = connect(s.server.url, { auth: { token }, transports: ['websocket'] });
    await new Promise((r) => socket.once('ready', r));
    const seen: string[] = [];
    for (const t of ['maintenance.scheduled', 'maintenance.started', 'maintenance.ended']) socket.on(t, () => seen.push(t));
    const now = clock.now();
    expect((await post('/api/v1/maintenance', { title: 'x', startsAt: now, endsAt: now + 1000, services: ['ghost'] })).status).toBe(404);
    expect((await post('/api/v1/maintenance', { title: 'x', startsAt: now, endsAt: now - 1 })).status).toBe(400);
    expect((await post('/api/v1/maintenance', { title: 'x', startsAt: now, endsAt: now + 1000, cron: 'not a cron' })).status).toBe(400);
    const w = await post('/api/v1/maintenance', { title: 'DB upgrade', announcement: '2:00-2:30 AM UTC', startsAt: now + 60_000, endsAt: now + 31 * 60_000 });
    expect(w.status).toBe(201);
    expect(w.body.status).toBe('scheduled');
    clock.advance(60_000);
    await s.server.services.maintenanceWindows.tick();
    const active = (await get(`/api/v1/maintenance/${w.body.id}`)).body;
    expect(active.status).toBe('active');
    expect(active.silenceIds).toHaveLength(1);
    const silences = await s.api('GET', '/api/v1/silences', { token });
    expect(JSON.stringify(silences.body)).toContain(active.silenceIds[0]);
    clock.advance(31 * 60_000);
    await s.server.services.maintenanceWindows.tick();
    token = await s.login(ADMIN); // the manual clock moved past the access token's lifetime
    expect((await get(`/api/v1/maintenance/${w.body.id}`)).body.status).toBe('completed');
    await until(async () => seen, (v) => v.length === 3);
    expect(seen).toEqual(['maintenance.scheduled', 'maintenance.started', 'maintenance.ended']);
    socket.close();
  });

  it('recurring checklists tick what a check can prove and leave the rest to a person', async () => {
    const run = await s.server.services.procedures.createScheduled('daily-checklist');
    expect(run).not.toBeNull();
    const again = await s.server.services.procedures.createScheduled('daily-checklist');
    expect(again).toBeNull(); // one per day
    const r = (await get(`/api/v1/procedures/runs/${run!.id}`)).body;
    const by = Object.fromEntries(r.steps.map((x: { key: string }) => [x.key, x]));
    expect(r.status).toBe('waiting');
    expect(by.backup.status).toBe('done'); // a wizard backup exists from the earlier test
    expect(by.backup.completedBy).toMatch(/automatic/);
    expect(by.resources.status).toBe('waiting');
    const ticked = await post(`/api/v1/procedures/runs/${run!.id}/steps/resources/complete`, { note: 'CPU 30 %' });
    expect(ticked.status).toBe(200);
    expect(ticked.body.steps.find((x: { key: string }) => x.key === 'resources')).toMatchObject({ status: 'done', completedBy: ADMIN.email, note: 'CPU 30 %' });
  });

  it('runs the data-loss emergency procedure: writes stop, evidence is preserved, people tick the rest, service returns', async () => {
    token = await s.login(ADMIN);
    const run = (await post('/api/v1/procedures/runs', { procedure: 'data-loss' })).body;
    expect(run.steps[0]).toMatchObject({ key: 'stop-operations', status: 'done' });
    expect((await s.api('POST', '/api/v1/users', { token, body: { email: 'x@example.com', name: 'x', role: 'agent', password: 'correct-horse-battery-7' } })).status).toBe(503);
    // The engine runs the automatic steps (a backup, an integrity check) on its own ticks: wait up to 20 s for it.
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
      const r = (await get(`/api/v1/procedures/runs/${run.id}`)).body;
      if (r.status === 'completed') break;
      const waiting = r.steps.find((x: { status: string }) => x.status === 'waiting' || x.status === 'failed');
      if (waiting) await post(`/api/v1/procedures/runs/${run.id}/steps/${waiting.key}/complete`, { note: 'checked by hand', outcome: waiting.key === 'restore' ? 'skipped' : 'done' });
      else await new Promise((res) => setTimeout(res, 100));
    }
    const done = (await get(`/api/v1/procedures/runs/${run.id}`)).body;
    expect(done.status).toBe('completed');
    expect(done.state.evidenceBackupId).toBeTruthy();
    expect(done.steps.map((x: { key: string }) => x.key)).toEqual(['stop-operations', 'assess', 'notify', 'preserve-evidence', 'last-good-backup', 'restore', 'verify-integrity', 'test-application', 'gradual-rollout']);
    expect((await get('/api/v1/maintenance/mode')).body.active).toBe(false);
  });

  it('CLI: backup, list-backups and restore work with the server stopped', async () => {
    await s.server.stop();
    const env = { ...process.env };
    Object.assign(process.env, { DATA_DIR: config.DATA_DIR, DATABASE_URL: config.DATABASE_URL, LOG_LEVEL: 'silent', JOB_WORKERS: '0' });
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(`ERR ${l}`) };
    try {
      expect(await runCli(['backup'], io)).toBe(0);
      const id = /Backup (\S+) written/.exec(out.join('\n'))![1]!;
      expect(await runCli(['list-backups'], io)).toBe(0);
      expect(out.join('\n')).toContain(id);
      expect(await runCli(['restore', id], io)).toBe(2); // needs --yes
      expect(await runCli(['restore', id, '--yes'], io)).toBe(0);
      expect(out.join('\n')).toMatch(/restored backup/);
      expect(await runCli(['restore', '/nonexistent/file.sqlite.gz', '--yes'], io)).toBe(1);
    } finally {
      process.env = env;
      s = await boot(config, clock);
    }
  });
});
