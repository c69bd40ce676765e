import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserAndLogin, startTestServer, type TestServer } from '../../test-support/harness';
import { waitJob } from '../../test-support/wait-job';

type Login = { id: string; accessToken: string };

describe('what a job can see and who can see it (sqlite)', () => {
  let server: TestServer;
  let admin: Login;
  let oncall: Login;
  const planted = { JWT_SECRET: 'x'.repeat(40), SMTP_URL: 'smtp://user:pw@127.0.0.1:1', DATABASE_URL: 'postgres://u:pw@127.0.0.1/db', OPSDESK_CHILD_SECRET: 'hidden' };
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    // The backend's own environment holds secrets (as a deployment's does).
    for (const [k, v] of Object.entries(planted)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    server = await startTestServer('sqlite', { env: { JOB_WORKERS: '0', OPS_SCHEDULERS: 'false' } });
    admin = await createUserAndLogin(server, { email: 'admin@example.com', password: 'correct-horse-battery-1', role: 'admin' });
    oncall = await createUserAndLogin(server, { email: 'oncall@example.com', password: 'correct-horse-battery-3', role: 'oncall' });
  });
  afterAll(async () => {
    await server.dispose();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  async function logText(jobId: string, token: string): Promise<{ status: number; text: string }> {
    const r = await server.api('GET', `/api/v1/jobs/${jobId}/logs?after=0&limit=1000`, { token });
    return { status: r.status, text: r.status === 200 ? r.body.lines.map((l: { line: string }) => l.line).join('\n') : '' };
  }

  it('runbook children get an allow-listed environment plus their own variables, never the backend secrets', async () => {
    const def = { title: 'Env', argv: [process.execPath, '-e', 'console.log(JSON.stringify(process.env))'], params: [], env: { GREETING: 'hi' }, minRole: 'oncall' };
    expect((await server.api('PUT', '/api/v1/runbooks/commands/print-env', { token: admin.accessToken, body: def })).status).toBe(200);
    const job = await server.api('POST', '/api/v1/jobs', { token: oncall.accessToken, body: { runbook: 'print-env' } });
    const done = await waitJob(server, oncall.accessToken, job.body.id);
    expect(done.status, done.reason).toBe('succeeded');
    const line = (await logText(job.body.id, oncall.accessToken)).text.split('\n').find((l) => l.startsWith('{'))!;
    const env = JSON.parse(line) as Record<string, string>;
    for (const k of Object.keys(planted)) expect(env[k], k).toBeUndefined();
    expect(env.GREETING).toBe('hi');
    expect(env.PATH).toBe(process.env.PATH);
  });

  it('log reads check the runbook role: on-call cannot read an admin-only runbook\'s log (page, download or live)', async () => {
    const def = { title: 'Admin only', argv: [process.execPath, '-e', "console.log('admin eyes only')"], params: [], minRole: 'admin' };
    expect((await server.api('PUT', '/api/v1/runbooks/commands/admin-only', { token: admin.accessToken, body: def })).status).toBe(200);
    const job = await server.api('POST', '/api/v1/jobs', { token: admin.accessToken, body: { runbook: 'admin-only' } });
    expect((await waitJob(server, admin.accessToken, job.body.id)).status).toBe('succeeded');
    const own = await logText(job.body.id, admin.accessToken);
    expect(own.status).toBe(200);
    expect(own.text.split('\n')).toContain('admin eyes only');
    expect((await logText(job.body.id, oncall.accessToken)).status).toBe(403);
    expect((await server.api('GET', `/api/v1/jobs/${job.body.id}/logs/download`, { token: oncall.accessToken })).status).toBe(403);
    const socket: Socket = connect(server.url, { auth: { token: oncall.accessToken }, transports: ['websocket'] });
    await new Promise((r) => socket.once('ready', r));
    const ack = await socket.emitWithAck('job.subscribe', { jobId: job.body.id, fromSeq: 0 });
    expect(ack).toMatchObject({ ok: false, error: 'forbidden' });
    socket.close();
  });
});
