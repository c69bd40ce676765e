import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserAndLogin, startTestServer, tempDir, type TestServer } from '../../../test-support/harness';
import { composeUp, startDockerd, type Dockerd } from '../../../test-support/dockerd';
import { waitJob } from '../../../test-support/wait-job';

const dockerd = await startDockerd();

/** The services API and its runbook jobs on Docker services, through a real backend and a real dockerd. */
describe.skipIf(!dockerd)('docker services through the API', () => {
  let d: Dockerd;
  let server: TestServer;
  let token: string;
  let stoppedId: string;
  let disposed = false;

  beforeAll(async () => {
    d = dockerd!;
    await composeUp(d.api, 'shop', 'api', 2);
    stoppedId = (await composeUp(d.api, 'shop', 'cron', 1))[0]!;
    await d.api.stop(stoppedId!, 2);
    const file = path.join(tempDir('opsdesk-docker-svc-'), 'services.json');
    writeFileSync(
      file,
      JSON.stringify({
        services: [
          { name: 'api', driver: 'docker', docker: { project: 'shop' }, maxReplicas: 4, stopTimeoutMs: 3000, startTimeoutMs: 20_000 },
          { name: 'cron', driver: 'docker', docker: { project: 'shop' }, stopTimeoutMs: 2000, dependsOn: ['api'] },
        ],
      }),
    );
    server = await startTestServer('sqlite', { env: { JOB_WORKERS: '0', OPS_SCHEDULERS: 'false', SERVICES_FILE: file, DOCKER_SOCKET: d.socket } });
    token = (await createUserAndLogin(server, { email: 'oncall@example.com', password: 'correct-horse-battery-3', role: 'oncall' })).accessToken;
  }, 90_000);
  afterAll(async () => {
    if (!disposed) await server?.dispose();
    await d?.stop();
  }, 90_000);

  it('the backend neither starts Docker services at boot nor stops them at shutdown', async () => {
    const cron = await server.api('GET', '/api/v1/services/cron', { token });
    expect(cron.body).toMatchObject({ driver: 'docker', health: 'unhealthy', desiredReplicas: 1 });
    expect((await d.api.inspect(stoppedId)).State.Running).toBe(false);
  });

  it('restart-service recreates the containers and streams their output into the job log', async () => {
    const before = await server.api('GET', '/api/v1/services/api', { token });
    const oldIds = before.body.replicas.map((r: { id: string }) => r.id);
    const job = await server.api('POST', '/api/v1/services/api/restart', { token });
    expect(job.status).toBe(201);
    const done = await waitJob(server, token, job.body.id, undefined, 30_000);
    expect(done.status).toBe('succeeded');
    expect(done.result.before).toEqual(oldIds);
    expect(done.result.after).toHaveLength(2);
    for (const id of done.result.after) expect(oldIds).not.toContain(id);
    const log = await server.api('GET', `/api/v1/jobs/${job.body.id}/logs`, { token });
    const lines = log.body.lines.map((l: { line: string }) => l.line);
    expect(lines).toContain('recreating 2 container(s) of api one at a time (stop timeout 3 s)');
    for (const id of done.result.after) expect(lines.some((l: string) => l.startsWith(`[${id}] `) && l.endsWith(`replica ${id} up`))).toBe(true);
  });

  it('scale-service goes through the job with its maximum; the logs route reads every replica', async () => {
    const over = await server.api('POST', '/api/v1/services/api/scale', { token, body: { replicas: 5 } });
    expect(over.status).toBe(422);
    const job = await server.api('POST', '/api/v1/services/api/scale', { token, body: { replicas: 3 } });
    const done = await waitJob(server, token, job.body.id, undefined, 30_000);
    expect(done).toMatchObject({ status: 'succeeded', summary: 'api at 3 replica(s): healthy' });
    const logs = await server.api('GET', '/api/v1/services/api/logs?lines=5', { token });
    expect(logs.status).toBe(200);
    expect(logs.body.supported).toBe(true);
    expect(new Set(logs.body.lines.map((l: { replica: string }) => l.replica))).toEqual(new Set(['shop-api-1', 'shop-api-2', 'shop-api-3']));
    expect((await server.api('GET', '/api/v1/services/api/logs?lines=0', { token })).status).toBe(400);
  });

  it('after the backend stops, the containers keep running', async () => {
    await server.dispose();
    disposed = true;
    const running = (await d.api.list(['com.docker.compose.project=shop', 'com.docker.compose.service=api'])).filter((c) => c.State === 'running');
    expect(running).toHaveLength(3);
  });
});
