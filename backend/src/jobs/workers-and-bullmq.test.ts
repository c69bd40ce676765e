import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserAndLogin, startRedis, startTestServer, type TestServer } from '../../test-support/harness';
import { waitJob } from '../../test-support/wait-job';

const ECHO = { title: 'Echo pid', argv: [process.execPath, '-e', 'console.log("pid", process.ppid)'], params: [], minRole: 'oncall' };

describe('the job-workers service runs command runbooks in supervised worker processes', () => {
  let server: TestServer;
  let admin: { accessToken: string };

  beforeAll(async () => {
    server = await startTestServer('sqlite', { env: { JOB_WORKERS: '1', OPS_SCHEDULERS: 'false', MONITORING_LOOPS: 'false' } });
    admin = await createUserAndLogin(server, { email: 'admin@example.com', password: 'correct-horse-battery-1', role: 'admin' });
  });
  afterAll(() => server.dispose());

  it('is declared by default; a worker process runs the job; events are relayed live; restart and scale act on it', { timeout: 60_000 }, async () => {
    const workers = async () => (await server.api('GET', '/api/v1/services/job-workers', { token: admin.accessToken })).body;
    const deadline = Date.now() + 20_000;
    while ((await workers()).health !== 'healthy') {
      if (Date.now() > deadline) throw new Error(JSON.stringify(await workers()));
      await new Promise((r) => setTimeout(r, 100));
    }
    const before = (await workers()).replicas.map((r: { pid: number }) => r.pid);
    expect(before).toHaveLength(1);

    const socket: Socket = connect(server.url, { auth: { token: admin.accessToken }, transports: ['websocket'] });
    await new Promise((r) => socket.once('ready', r));
    const events: string[] = [];
    socket.on('job.updated', (e: { data: { status: string } }) => events.push(e.data.status));

    await server.api('PUT', '/api/v1/runbooks/commands/echo-pid', { token: admin.accessToken, body: ECHO });
    const job = await server.api('POST', '/api/v1/jobs', { token: admin.accessToken, body: { runbook: 'echo-pid' } });
    const done = await waitJob(server, admin.accessToken, job.body.id, undefined, 30_000);
    expect(done.status).toBe('succeeded');
    const row = await server.services.database.db.selectFrom('jobs').select('worker').where('id', '=', job.body.id).executeTakeFirstOrThrow();
    expect(row.worker).toMatch(new RegExp(`:${before[0]}$`)); // run by the worker process, not the server
    const logs = await server.api('GET', `/api/v1/jobs/${job.body.id}/logs`, { token: admin.accessToken });
    expect(logs.body.lines.some((l: { line: string }) => l.line === `pid ${before[0]}`)).toBe(true);
    await new Promise((r) => setTimeout(r, 800));
    expect(events).toContain('succeeded');
    socket.close();

    const scale = await server.api('POST', '/api/v1/services/job-workers/scale', { token: admin.accessToken, body: { replicas: 2 } });
    expect((await waitJob(server, admin.accessToken, scale.body.id, undefined, 30_000)).status).toBe('succeeded');
    expect((await workers()).replicas).toHaveLength(2);
    const restart = await server.api('POST', '/api/v1/services/job-workers/restart', { token: admin.accessToken });
    const r = await waitJob(server, admin.accessToken, restart.body.id, undefined, 30_000);
    expect(r.status).toBe('succeeded');
    const after = (await workers()).replicas.map((x: { pid: number }) => x.pid);
    expect(after).toHaveLength(2);
    for (const p of after) expect(before.concat(r.result.before)).not.toContain(p);
  });
});

describe('BullMQ on a real redis-server', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let server: TestServer;
  let admin: { accessToken: string };

  beforeAll(async () => {
    redis = await startRedis();
    server = await startTestServer('sqlite', { env: { REDIS_URL: redis.url, OPS_SCHEDULERS: 'false', MONITORING_LOOPS: 'false', JOB_CANCEL_GRACE_MS: '300' } });
    admin = await createUserAndLogin(server, { email: 'admin@example.com', password: 'correct-horse-battery-1', role: 'admin' });
  });
  afterAll(async () => {
    await server.dispose();
    await redis.stop();
  });

  it('queues through Redis, runs, cancels a long job', { timeout: 60_000 }, async () => {
    expect(server.services.jobQueue.kind).toBe('bullmq');
    await server.api('PUT', '/api/v1/runbooks/commands/echo-pid', { token: admin.accessToken, body: ECHO });
    const job = await server.api('POST', '/api/v1/jobs', { token: admin.accessToken, body: { runbook: 'echo-pid' } });
    expect((await waitJob(server, admin.accessToken, job.body.id)).status).toBe('succeeded');
    const b = await server.api('POST', '/api/v1/jobs', { token: admin.accessToken, body: { runbook: 'backup-database' } });
    expect((await waitJob(server, admin.accessToken, b.body.id)).status).toBe('succeeded');

    await server.api('PUT', '/api/v1/runbooks/commands/sleeper', { token: admin.accessToken, body: { ...ECHO, title: 'Sleep', argv: [process.execPath, '-e', "process.on('SIGTERM',()=>{});setTimeout(()=>{},60000)"] } });
    const long = await server.api('POST', '/api/v1/jobs', { token: admin.accessToken, body: { runbook: 'sleeper' } });
    await waitJob(server, admin.accessToken, long.body.id, ['running']);
    await server.api('POST', `/api/v1/jobs/${long.body.id}/cancel`, { token: admin.accessToken });
    const c = await waitJob(server, admin.accessToken, long.body.id);
    expect(c.status).toBe('cancelled');
    const logs = await server.api('GET', `/api/v1/jobs/${long.body.id}/logs`, { token: admin.accessToken });
    expect(logs.body.lines.at(-1).line).toMatch(/cancelled/);
  });
});
