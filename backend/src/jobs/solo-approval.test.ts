import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserAndLogin, startTestServer, type TestServer } from '../../test-support/harness';
import { waitJob } from '../../test-support/wait-job';

type Login = { id: string; accessToken: string };
const PASSWORD = 'correct-horse-battery-1';

describe('a one-admin workspace can restore: the admin re-enters their password (sqlite)', () => {
  let server: TestServer;
  let admin: Login;
  let backupId: string;

  beforeAll(async () => {
    server = await startTestServer('sqlite', { env: { JOB_WORKERS: '0', OPS_SCHEDULERS: 'false' } });
    admin = await createUserAndLogin(server, { email: 'solo@example.com', password: PASSWORD, role: 'admin' });
    await createUserAndLogin(server, { email: 'oncall@example.com', password: 'correct-horse-battery-3', role: 'oncall' });
    const job = await server.api('POST', '/api/v1/backups', { token: admin.accessToken });
    backupId = (await waitJob(server, admin.accessToken, job.body.id, undefined, 60_000)).result.backupId;
  }, 90_000);
  afterAll(() => server.dispose());

  const requestRestore = async () => {
    const r = await server.api('POST', `/api/v1/backups/${backupId}/restore`, { token: admin.accessToken, body: { confirmation: 'restore-database' } });
    expect(r.body.status).toBe('awaiting_approval');
    return r.body.id as string;
  };
  const approve = (id: string, body?: unknown) => server.api('POST', `/api/v1/jobs/${id}/approve`, { token: admin.accessToken, body });

  it('shows the policy in force, refuses self-approval without the password or with a wrong one, accepts the right one', { timeout: 90_000 }, async () => {
    const policy = await server.api('GET', '/api/v1/jobs/approval-policy', { token: admin.accessToken });
    expect(policy.status).toBe(200);
    expect(policy.body).toMatchObject({ mode: 'solo-password', admins: 1 });
    expect(policy.body.description).toMatch(/only admin/);
    const id = await requestRestore();
    const none = await approve(id);
    expect(none.status).toBe(403);
    expect(none.body.message).toMatch(/enter your password/);
    expect((await approve(id, { password: 'wrong-password-here' })).status).toBe(403);
    expect((await server.api('GET', `/api/v1/jobs/${id}`, { token: admin.accessToken })).body.status).toBe('awaiting_approval');
    const ok = await approve(id, { password: PASSWORD });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.approvedBy).toBe(admin.id);
    expect((await waitJob(server, admin.accessToken, id, undefined, 60_000)).status).toBe('succeeded');
    const audit = await server.services.database.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'job.approved').execute();
    expect(JSON.stringify(audit)).toContain('solo');
  });

  it('with a second admin, the four-eyes rule is back: the password no longer lets the requester approve', async () => {
    await createUserAndLogin(server, { email: 'second@example.com', password: 'correct-horse-battery-2', role: 'admin' });
    expect((await server.api('GET', '/api/v1/jobs/approval-policy', { token: admin.accessToken })).body).toMatchObject({ mode: 'second-admin', admins: 2 });
    const id = await requestRestore();
    expect((await approve(id, { password: PASSWORD })).status).toBe(403);
    await server.api('POST', `/api/v1/jobs/${id}/reject`, { token: admin.accessToken, body: { reason: 'test' } });
  });
});
