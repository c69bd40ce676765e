import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserAndLogin, startTestServer, tempDir, type TestServer } from '../../test-support/harness';
import { waitJob } from '../../test-support/wait-job';

type Login = { id: string; accessToken: string };

export function servicesFile(): string {
  const file = path.join(tempDir('opsdesk-svc-'), 'services.json');
  writeFileSync(
    file,
    JSON.stringify({
      services: [
        { name: 'db', command: ['sleep', '1000'], replicas: 1, maxReplicas: 2, health: { kind: 'running', graceMs: 50 } },
        { name: 'workers', command: ['sleep', '1000'], replicas: 2, maxReplicas: 4, dependsOn: ['db'], health: { kind: 'running', graceMs: 50 }, stopTimeoutMs: 2000 },
      ],
    }),
  );
  return file;
}

describe('jobs, runbooks and services (sqlite)', () => {
  let server: TestServer;
  let admin: Login;
  let admin2: Login;
  let oncall: Login;
  let agent: Login;

  beforeAll(async () => {
    server = await startTestServer('sqlite', { env: { JOB_WORKERS: '0', OPS_SCHEDULERS: 'false', SERVICES_FILE: servicesFile(), JOB_CANCEL_GRACE_MS: '500' } });
    admin = await createUserAndLogin(server, { email: 'admin@example.com', password: 'correct-horse-battery-1', role: 'admin' });
    admin2 = await createUserAndLogin(server, { email: 'admin2@example.com', password: 'correct-horse-battery-2', role: 'admin' });
    oncall = await createUserAndLogin(server, { email: 'oncall@example.com', password: 'correct-horse-battery-3', role: 'oncall' });
    agent = await createUserAndLogin(server, { email: 'agent@example.com', password: 'correct-horse-battery-4', role: 'agent' });
  });
  afterAll(() => server.dispose());

  it('lists the built-in catalogue with JSON Schema parameters', async () => {
    const r = await server.api('GET', '/api/v1/runbooks', { token: oncall.accessToken });
    expect(r.status).toBe(200);
    const ids = r.body.map((b: { id: string }) => b.id);
    for (const id of ['backup-database', 'verify-backup', 'restore-database', 'restart-service', 'scale-service', 'vacuum-analyze', 'purge-queue', 'cleanup-logs', 'run-health-checks']) expect(ids).toContain(id);
    const cleanup = r.body.find((b: { id: string }) => b.id === 'cleanup-logs');
    expect(cleanup.parameters.properties.olderThanDays.default).toBe(30);
    const restore = r.body.find((b: { id: string }) => b.id === 'restore-database');
    expect(restore).toMatchObject({ destructive: true, requiresApproval: true, minRole: 'admin' });
    expect((await server.api('GET', '/api/v1/runbooks', { token: agent.accessToken })).status).toBe(403);
  });

  it('refuses bad input: schema 400 listing fields, unknown runbook/service 404, over max 422, agents 403', async () => {
    const bad = await server.api('POST', '/api/v1/jobs', { token: oncall.accessToken, body: { runbook: 'scale-service', params: { service: 5, replicas: -1 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['params.replicas', 'params.service']);
    expect((await server.api('POST', '/api/v1/jobs', { token: oncall.accessToken, body: { runbook: 'nope', params: {} } })).status).toBe(404);
    expect((await server.api('POST', '/api/v1/jobs', { token: oncall.accessToken, body: { runbook: 'restart-service', params: { service: 'ghost' } } })).status).toBe(404);
    const over = await server.api('POST', '/api/v1/jobs', { token: oncall.accessToken, body: { runbook: 'scale-service', params: { service: 'workers', replicas: 9 } } });
    expect(over.status).toBe(422);
    expect(over.body.message).toMatch(/at most 4/);
    expect((await server.api('POST', '/api/v1/jobs', { token: agent.accessToken, body: { runbook: 'run-health-checks' } })).status).toBe(403);
    // oncall may not run destructive ones (scale to 0), admins need the typed confirmation
    expect((await server.api('POST', '/api/v1/jobs', { token: oncall.accessToken, body: { runbook: 'scale-service', params: { service: 'workers', replicas: 0 } } })).status).toBe(403);
    const noConfirm = await server.api('POST', '/api/v1/jobs', { token: admin.accessToken, body: { runbook: 'purge-queue', params: {} } });
    expect(noConfirm.status).toBe(400);
    expect(noConfirm.body.message).toMatch(/type "purge-queue"/);
  });

  it('restarts a service with new pids and scales to the requested count, in dependency order', async () => {
    const before = await server.api('GET', '/api/v1/services', { token: oncall.accessToken });
    expect(before.body.map((s: { name: string }) => s.name)).toEqual(['db', 'workers']);
    const workers = before.body.find((s: { name: string }) => s.name === 'workers');
    expect(workers.replicas).toHaveLength(2);
    const oldPids = workers.replicas.map((r: { pid: number }) => r.pid);
    for (const pid of oldPids) expect(() => process.kill(pid, 0)).not.toThrow();

    const restart = await server.api('POST', '/api/v1/services/workers/restart', { token: oncall.accessToken });
    expect(restart.status).toBe(201);
    const done = await waitJob(server, oncall.accessToken, restart.body.id);
    expect(done.status).toBe('succeeded');
    const newPids = done.result.after as number[];
    expect(newPids).toHaveLength(2);
    for (const pid of newPids) expect(oldPids).not.toContain(pid);
    for (const pid of oldPids) expect(() => process.kill(pid, 0)).toThrow();

    const scale = await server.api('POST', '/api/v1/services/workers/scale', { token: oncall.accessToken, body: { replicas: 3 } });
    expect((await waitJob(server, oncall.accessToken, scale.body.id)).status).toBe('succeeded');
    let st = await server.api('GET', '/api/v1/services/workers', { token: oncall.accessToken });
    expect(st.body.replicas.filter((r: { pid: number | null }) => r.pid).length).toBe(3);

    const down = await server.api('POST', '/api/v1/services/workers/scale', { token: admin.accessToken, body: { replicas: 1 } });
    await waitJob(server, oncall.accessToken, down.body.id);
    st = await server.api('GET', '/api/v1/services/workers', { token: oncall.accessToken });
    expect(st.body.replicas.length).toBe(1);

    // a crashed replica comes back with a new pid
    const pid = st.body.replicas[0].pid as number;
    process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + 5000;
    for (;;) {
      st = await server.api('GET', '/api/v1/services/workers', { token: oncall.accessToken });
      const p = st.body.replicas[0]?.pid;
      if (p && p !== pid) break;
      if (Date.now() > deadline) throw new Error('crashed replica was not restarted');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(st.body.replicas[0].restarts).toBeGreaterThanOrEqual(1);
    // The services list says when it last (re)started and how it last crashed.
    expect(st.body.lastCrash).toEqual({ at: null, message: 'replica 0 killed by SIGKILL' });
    expect(st.body.lastRestartAt).toBe(st.body.replicas[0].startedAt);
  });

  it('admin command runbooks pass shell metacharacters as one literal argument', async () => {
    const def = {
      title: 'Echo',
      argv: [process.execPath, '-e', 'console.log(JSON.stringify(process.argv.slice(1)))', '{{text}}'],
      params: [{ name: 'text', pattern: '.{1,200}' }],
      minRole: 'oncall',
    };
    expect((await server.api('PUT', '/api/v1/runbooks/commands/echo-args', { token: oncall.accessToken, body: def })).status).toBe(403);
    expect((await server.api('PUT', '/api/v1/runbooks/commands/echo-args', { token: admin.accessToken, body: def })).status).toBe(200);
    const evil = 'x; touch /tmp/opsdesk-pwned $(id) `id` | cat && echo';
    const job = await server.api('POST', '/api/v1/jobs', { token: oncall.accessToken, body: { runbook: 'echo-args', params: { text: evil } } });
    expect(job.status).toBe(201);
    expect((await waitJob(server, oncall.accessToken, job.body.id)).status).toBe('succeeded');
    const logs = await server.api('GET', `/api/v1/jobs/${job.body.id}/logs`, { token: oncall.accessToken });
    const out = logs.body.lines.find((l: { stream: string }) => l.stream === 'out');
    expect(JSON.parse(out.line)).toEqual([evil]);
    const badEnum = await server.api('PUT', '/api/v1/runbooks/commands/bad', { token: admin.accessToken, body: { ...def, params: [{ name: 'text' }] } });
    expect(badEnum.status).toBe(400);
  });

  it('streams logs live over socket.io, resumes from a sequence, downloads whole; cancel stops a long job', async () => {
    await server.api('PUT', '/api/v1/runbooks/commands/ticker', {
      token: admin.accessToken,
      body: { title: 'Ticker', argv: [process.execPath, '-e', "let i=0;const t=setInterval(()=>{console.log('tick '+(++i)); if(i>=2000) clearInterval(t)},1); process.on('SIGTERM',()=>{console.log('got SIGTERM, ignoring')})"], params: [], minRole: 'oncall', timeoutSeconds: 60 },
    });
    const job = await server.api('POST', '/api/v1/jobs', { token: oncall.accessToken, body: { runbook: 'ticker' } });
    const socket: Socket = connect(server.url, { auth: { token: oncall.accessToken }, transports: ['websocket'] });
    await new Promise((r) => socket.once('ready', r));
    const got: number[] = [];
    const ended = new Promise((r) => socket.once('job.log.end', r));
    socket.on('job.log', (b: { lines: { seq: number }[] }) => got.push(...b.lines.map((l) => l.seq)));
    const ack = await socket.emitWithAck('job.subscribe', { jobId: job.body.id, fromSeq: 0 });
    expect(ack.ok).toBe(true);
    for (let i = 0; got.length < 50; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    // a second subscriber resumes from sequence 20
    const again: number[] = [];
    const s2: Socket = connect(server.url, { auth: { token: oncall.accessToken }, transports: ['websocket'] });
    await new Promise((r) => s2.once('ready', r));
    s2.on('job.log', (b: { lines: { seq: number }[] }) => again.push(...b.lines.map((l) => l.seq)));
    await s2.emitWithAck('job.subscribe', { jobId: job.body.id, fromSeq: 20 });

    const cancel = await server.api('POST', `/api/v1/jobs/${job.body.id}/cancel`, { token: oncall.accessToken });
    expect(cancel.status).toBe(200);
    const done = await waitJob(server, oncall.accessToken, job.body.id);
    expect(done.status).toBe('cancelled');
    await ended;
    await new Promise((r) => setTimeout(r, 300));
    expect(got).toEqual(Array.from({ length: done.logSeq }, (_, i) => i + 1));
    expect(again[0]).toBe(21);
    expect(again[again.length - 1]).toBe(done.logSeq);
    const download = await fetch(`${server.url}/api/v1/jobs/${job.body.id}/logs/download`, { headers: { authorization: `Bearer ${oncall.accessToken}` } });
    const text = await download.text();
    expect(text.trim().split('\n')).toHaveLength(done.logSeq);
    expect(text).toMatch(/got SIGTERM, ignoring/);
    socket.close();
    s2.close();
    // agents cannot subscribe
    const s3: Socket = connect(server.url, { auth: { token: agent.accessToken }, transports: ['websocket'] });
    await new Promise((r) => s3.once('ready', r));
    expect((await s3.emitWithAck('job.subscribe', { jobId: job.body.id })).error).toBe('forbidden');
    s3.close();
  });

  it('approval by a second admin: requester approving gets 403; conflicting jobs get 409 naming the holder', async () => {
    const backup = await server.api('POST', '/api/v1/jobs', { token: oncall.accessToken, body: { runbook: 'backup-database' } });
    const b = await waitJob(server, oncall.accessToken, backup.body.id);
    expect(backup.status, JSON.stringify(backup.body)).toBe(201);
    expect(b.status).toBe('succeeded');
    const req = await server.api('POST', '/api/v1/jobs', { token: admin.accessToken, body: { runbook: 'restore-database', params: { backupId: b.result.backupId }, confirmation: 'restore-database' } });
    expect(req.status, JSON.stringify(req.body)).toBe(201);
    expect(req.body.status).toBe('awaiting_approval');
    const conflict = await server.api('POST', '/api/v1/jobs', { token: oncall.accessToken, body: { runbook: 'backup-database' } });
    expect(conflict.status).toBe(409);
    expect(conflict.body.message).toContain(req.body.id);
    expect((await server.api('POST', `/api/v1/jobs/${req.body.id}/approve`, { token: admin.accessToken })).status).toBe(403);
    expect((await server.api('POST', `/api/v1/jobs/${req.body.id}/approve`, { token: oncall.accessToken })).status).toBe(403);
    const ok = await server.api('POST', `/api/v1/jobs/${req.body.id}/approve`, { token: admin2.accessToken });
    expect(ok.status).toBe(200);
    const done = await waitJob(server, admin.accessToken, req.body.id);
    expect(done.status, JSON.stringify(done)).toBe('succeeded');
    expect(done.approvedBy).toBe(admin2.id);
    const audit = await server.api('GET', `/api/v1/audit?targetId=${req.body.id}`, { token: admin.accessToken });
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    for (const a of ['job.requested', 'job.approved', 'job.started', 'job.succeeded']) expect(actions).toContain(a);
    // retry of a finished (failed) job
    const fail = await server.api('POST', '/api/v1/jobs', { token: oncall.accessToken, body: { runbook: 'verify-backup', params: { backupId: 'does-not-exist' } } });
    expect((await waitJob(server, oncall.accessToken, fail.body.id)).status).toBe('failed');
    const retry = await server.api('POST', `/api/v1/jobs/${fail.body.id}/retry`, { token: oncall.accessToken });
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect(retry.body.retryOf).toBe(fail.body.id);
  });

  it('runs the maintenance runbooks, enforces the per-runbook timeout, purges the queue', async () => {
    for (const runbook of ['vacuum-analyze', 'cleanup-logs', 'run-health-checks']) {
      const j = await server.api('POST', '/api/v1/jobs', { token: oncall.accessToken, body: { runbook } });
      const done = await waitJob(server, oncall.accessToken, j.body.id);
      expect(done.status, `${runbook}: ${done.reason}`).toBe('succeeded');
    }
    await server.api('PUT', '/api/v1/runbooks/commands/slow', { token: admin.accessToken, body: { title: 'Slow', argv: ['sleep', '30'], params: [], minRole: 'oncall', timeoutSeconds: 1 } });
    const slow = await server.api('POST', '/api/v1/jobs', { token: oncall.accessToken, body: { runbook: 'slow' } });
    const t = await waitJob(server, oncall.accessToken, slow.body.id);
    expect(t.status).toBe('failed');
    expect(t.reason).toBe('timed out after 1 s');
    const purge = await server.api('POST', '/api/v1/jobs', { token: admin.accessToken, body: { runbook: 'purge-queue', confirmation: 'purge-queue' } });
    expect((await waitJob(server, admin.accessToken, purge.body.id)).status).toBe('succeeded');
  });
});
