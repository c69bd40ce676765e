import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../audit/audit-log';
import { createUserAndLogin, startTestServer, type TestServer } from '../../test-support/harness';
import { waitJob } from '../../test-support/wait-job';

type Login = { id: string; accessToken: string };

/**
 * The approval matrix: every path that can start `restore-database` either leaves the job waiting
 * for a second admin (with the requester recorded as who really asked) or is refused.
 */
describe('approval matrix for restore-database (sqlite)', () => {
  let server: TestServer;
  let admin: Login;
  let admin2: Login;
  let oncall: Login;
  let backupId: string;

  beforeAll(async () => {
    server = await startTestServer('sqlite', { env: { JOB_WORKERS: '0', OPS_SCHEDULERS: 'false' } });
    admin = await createUserAndLogin(server, { email: 'admin@example.com', password: 'correct-horse-battery-1', role: 'admin' });
    admin2 = await createUserAndLogin(server, { email: 'admin2@example.com', password: 'correct-horse-battery-2', role: 'admin' });
    oncall = await createUserAndLogin(server, { email: 'oncall@example.com', password: 'correct-horse-battery-3', role: 'oncall' });
    const job = await server.api('POST', '/api/v1/backups', { token: admin.accessToken });
    const done = await waitJob(server, admin.accessToken, job.body.id, undefined, 60_000);
    expect(done.status).toBe('succeeded');
    backupId = done.result.backupId;
  }, 90_000);
  afterAll(() => server.dispose());

  const params = () => ({ backupId });
  const expectWaiting = (job: { status: string; requestedBy: string | null }, by: Login) => {
    expect(job.status).toBe('awaiting_approval');
    expect(job.requestedBy).toBe(by.id);
  };

  it('API: POST /jobs needs the typed confirmation, then waits for approval', async () => {
    const none = await server.api('POST', '/api/v1/jobs', { token: admin.accessToken, body: { runbook: 'restore-database', params: params() } });
    expect(none.status).toBe(400);
    const r = await server.api('POST', '/api/v1/jobs', { token: admin.accessToken, body: { runbook: 'restore-database', params: params(), confirmation: 'restore-database' } });
    expect(r.status).toBe(201);
    expectWaiting(r.body, admin);
    expect((await server.api('POST', '/api/v1/jobs', { token: oncall.accessToken, body: { runbook: 'restore-database', params: params(), confirmation: 'restore-database' } })).status).toBe(403);
    await server.api('POST', `/api/v1/jobs/${r.body.id}/reject`, { token: admin2.accessToken });
  });

  it('UI: POST /backups/:id/restore waits for approval; the requester cannot approve it, nor can on-call', async () => {
    const r = await server.api('POST', `/api/v1/backups/${backupId}/restore`, { token: admin.accessToken, body: { confirmation: 'restore-database' } });
    expect(r.status).toBe(201);
    expectWaiting(r.body, admin);
    expect((await server.api('POST', `/api/v1/jobs/${r.body.id}/approve`, { token: admin.accessToken })).status).toBe(403);
    expect((await server.api('POST', `/api/v1/jobs/${r.body.id}/approve`, { token: oncall.accessToken })).status).toBe(403);
    expect((await server.api('GET', `/api/v1/jobs/${r.body.id}`, { token: admin.accessToken })).body.status).toBe('awaiting_approval');
    await server.api('POST', `/api/v1/jobs/${r.body.id}/reject`, { token: admin2.accessToken });
  });

  it('retry: a rejected restore retried needs the confirmation again and waits for approval again', async () => {
    const r = await server.api('POST', '/api/v1/jobs', { token: admin.accessToken, body: { runbook: 'restore-database', params: params(), confirmation: 'restore-database' } });
    await server.api('POST', `/api/v1/jobs/${r.body.id}/reject`, { token: admin2.accessToken });
    expect((await server.api('POST', `/api/v1/jobs/${r.body.id}/retry`, { token: admin.accessToken, body: {} })).status).toBe(400);
    const again = await server.api('POST', `/api/v1/jobs/${r.body.id}/retry`, { token: admin.accessToken, body: { confirmation: 'restore-database' } });
    expect(again.status).toBe(201);
    expectWaiting(again.body, admin);
    await server.api('POST', `/api/v1/jobs/${again.body.id}/reject`, { token: admin2.accessToken });
  });

  it('maintenance wizard: a task outside the allow-list (restore-database, purge-queue, a command runbook) is refused', async () => {
    for (const runbook of ['restore-database', 'purge-queue', 'hello']) {
      const r = await server.api('POST', '/api/v1/procedures/runs', { token: admin.accessToken, body: { procedure: 'maintenance', params: { title: 'x', tasks: [{ runbook, params: params() }] } } });
      expect(r.status, runbook).toBe(400);
      expect(r.body.message).toMatch(/not allowed as a maintenance task/);
    }
    const jobs = (await server.api('GET', '/api/v1/jobs?runbook=restore-database', { token: admin.accessToken })).body.items;
    expect(jobs.filter((j: { status: string }) => j.status === 'queued' || j.status === 'running')).toEqual([]);
  });

  it('procedures (in-process): a job requested for a person carries that person and their stored role, never a claimed one', async () => {
    const jobs = server.services.jobs;
    // An on-call user presented as an admin (as a procedure step used to) is refused.
    await expect(jobs.request({ id: oncall.id, email: 'procedure:maintenance', ip: null, role: 'admin' }, { runbook: 'restore-database', params: params(), confirmation: 'restore-database' }, { via: 'procedure' })).rejects.toMatchObject({ code: 'forbidden' });
    // No option skips approval or the confirmation.
    const sneaky = { via: 'procedure', preApproved: true } as never;
    await expect(jobs.request({ id: admin.id, email: 'procedure:maintenance', ip: null }, { runbook: 'restore-database', params: params() }, sneaky)).rejects.toMatchObject({ code: 'validation_failed' });
    const j = await jobs.request({ id: admin.id, email: 'procedure:maintenance', ip: null }, { runbook: 'restore-database', params: params(), confirmation: 'restore-database' }, sneaky);
    expect(j.status).toBe('awaiting_approval');
    expect(j.requestedBy).toBe(admin.id);
    expect(j.requestedByEmail).toBe('admin@example.com');
    await jobs.reject({ id: admin2.id, email: 'admin2@example.com', ip: null, role: 'admin' }, j.id, 'matrix');
  });

  it('schedules and the system: no person, so restore is refused outright', async () => {
    const jobs = server.services.jobs;
    await expect(jobs.request({ ...SYSTEM_ACTOR, email: 'schedule:nightly', role: 'admin' }, { runbook: 'restore-database', params: params(), confirmation: 'restore-database' }, { via: 'schedule', preApproved: true } as never)).rejects.toMatchObject({ code: 'forbidden' });
    // The system can still take backups (the scheduled path).
    const b = await jobs.request({ ...SYSTEM_ACTOR, email: 'schedule:nightly' }, { runbook: 'backup-database', params: {} }, { via: 'schedule' });
    expect(b.status).toBe('queued');
    await waitJob(server, admin.accessToken, b.id, undefined, 60_000);
  });

  it('a disabled or unknown person cannot request jobs', async () => {
    const jobs = server.services.jobs;
    await expect(jobs.request({ id: 'no-such-user', email: 'ghost@example.com', ip: null, role: 'admin' }, { runbook: 'run-health-checks', params: {} })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
