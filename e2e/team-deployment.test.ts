import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DesktopCore } from '../electron/core/desktop-core';
import { APP_ROOT } from '../electron/core/test-support/backend-process';
import { fileSecrets, tmpDir } from '../electron/core/test-support/fixtures';
import { NoopUpdater } from '../electron/core/updates/update-scheduler';
import { createPgDatabase, makeApiCaller, startRedis, tempDir } from '../backend/test-support/harness';
import { startNginx } from '../backend/test-support/nginx';
import { freePort } from '../backend/test-support/postgres-cluster';

/**
 * A team deployment on this machine: two compiled backend instances on one PostgreSQL database and
 * one Redis, behind Debian's nginx with the shipped site file; a desktop core connects through nginx.
 */
describe('team deployment: two instances behind nginx on PostgreSQL and Redis', () => {
  const root = APP_ROOT;
  const children: ChildProcess[] = [];
  let env: NodeJS.ProcessEnv;
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let nginx: Awaited<ReturnType<typeof startNginx>>;
  const instances: { name: string; url: string; child: ChildProcess }[] = [];
  let core: DesktopCore;

  async function startInstance(name: string) {
    const port = await freePort();
    const child = spawn(process.execPath, [path.join(root, 'out/backend/main.js')], {
      cwd: root,
      env: { ...env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: tempDir(`opsdesk-${name}-`) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${name} did not start: ${out}`)), 30_000);
      child.stdout!.on('data', () => out.includes('OpsDesk backend listening') && (clearTimeout(t), resolve()));
      child.once('exit', (code) => reject(new Error(`${name} exited ${code}: ${out}`)));
    });
    const instance = { name, url: `http://127.0.0.1:${port}`, child };
    instances.push(instance);
    return instance;
  }

  beforeAll(async () => {
    redis = await startRedis();
    env = {
      ...process.env,
      DATABASE_URL: await createPgDatabase(),
      REDIS_URL: redis.url,
      // Instances of one deployment share their secret (until they agree on one by themselves).
      JWT_SECRET: 'team-deployment-test-secret-0123456789abcdef',
      TRUST_PROXY: 'true',
      LOG_LEVEL: 'info',
      JOB_WORKERS: '0',
      LOGIN_IP_MAX_PER_MINUTE: '1000',
    };
    const created = spawnSync(process.execPath, [path.join(root, 'out/backend/cli.js'), 'create-admin', '--email', 'lead@example.com', '--password-stdin'], { cwd: root, env, input: 'harbor-lantern-quartz-62' });
    expect(created.status, created.stderr.toString()).toBe(0);
    const a = await startInstance('a');
    const b = await startInstance('b');
    // B serves everything while it is up; A takes over when B is gone (nginx skips a dead upstream).
    nginx = await startNginx({ port: await freePort(), upstream: [`${b.url.slice(7)} max_fails=1 fail_timeout=5s`, `${a.url.slice(7)} backup`] });
  }, 120_000);

  afterAll(async () => {
    await core?.shutdown();
    await nginx?.stop();
    children.forEach((c) => c.kill('SIGKILL'));
    await redis?.stop();
  });

  it('a write on instance A reaches the desktop on instance B live; B dies and the desktop resumes through nginx with nothing missed', { timeout: 120_000 }, async () => {
    const [a, b] = [instances.find((i) => i.name === 'a')!, instances.find((i) => i.name === 'b')!];
    const userData = tmpDir();
    core = new DesktopCore({ paths: { userData, appRoot: root }, secrets: fileSecrets(userData), notifier: { show: () => {} }, updater: new NoopUpdater('0.1.0'), transport: 'host', version: '0.1.0' });
    const added = await core.dispatch('profiles.addServer', { name: 'Team', url: nginx.url });
    expect(added).toMatchObject({ ok: true });
    await core.dispatch('profiles.activate', { id: (added as { value: { id: string } }).value.id });
    expect(await core.dispatch('session.login', { email: 'lead@example.com', password: 'harbor-lantern-quartz-62' })).toMatchObject({ ok: true, value: { status: 'signed_in' } });
    const live = async () => ((await core.dispatch('sync.now', undefined)) as { value: { live: string } }).value.live;
    for (let i = 0; i < 100 && (await live()) !== 'connected'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await live()).toBe('connected');

    // The admin's own token, straight to instance A (not through nginx).
    const onA = makeApiCaller(a.url);
    const token = (await onA('POST', '/api/v1/auth/login', { body: { email: 'lead@example.com', password: 'harbor-lantern-quartz-62' } })).body.accessToken;
    const queue = (await onA('POST', '/api/v1/queues', { token, body: { name: 'Service Desk', memberIds: [] } })).body;
    const createOnA = async (subject: string) => {
      const r = await onA('POST', '/api/v1/tickets', { token, body: { queueId: queue.id, subject, requester: { name: 'Casey', email: 'casey@example.com' } } });
      expect(r.status).toBe(201);
      return r.body.id as string;
    };
    const cached = async () => ((await core.dispatch('tickets.list', {})) as { value: { items: { subject: string }[] } }).value.items.map((t) => t.subject);
    const seen = async (subject: string) => {
      for (let i = 0; i < 150; i++) {
        if ((await cached()).includes(subject)) return true;
        await new Promise((r) => setTimeout(r, 100));
      }
      return false;
    };

    // The desktop's socket is on B (nginx's primary); the write on A arrives through Redis.
    const sockets = async (url: string) => Number(/^opsdesk_socket_connections (\d+)/m.exec(await (await fetch(`${url}/metrics`)).text())?.[1]);
    expect([await sockets(a.url), await sockets(b.url)]).toEqual([0, 1]);
    await createOnA('Printer on floor 3 is offline');
    expect(await seen('Printer on floor 3 is offline')).toBe(true);

    // B dies mid-run. While the desktop reconnects, A takes another write; nothing may be missed.
    b.child.kill('SIGKILL');
    await new Promise((r) => b.child.once('exit', r));
    await createOnA('VPN drops every 10 minutes');
    expect(await seen('VPN drops every 10 minutes')).toBe(true);
    expect(await live()).toBe('connected');
    expect(await sockets(a.url)).toBe(1);
    await createOnA('New starter needs a laptop');
    expect(await seen('New starter needs a laptop')).toBe(true);
    expect((await cached()).sort()).toEqual(['New starter needs a laptop', 'Printer on floor 3 is offline', 'VPN drops every 10 minutes']);

    // nginx passes the client's address on (X-Forwarded-For); the instance records it (TRUST_PROXY).
    const viaNginx = makeApiCaller(nginx.url);
    const failed = await viaNginx('POST', '/api/v1/auth/login', { body: { email: 'lead@example.com', password: 'not-the-password-00' }, headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(failed.status).toBe(401);
    const audit = await viaNginx('GET', '/api/v1/audit?action=auth.login_failed', { token });
    expect(audit.body.items.map((e: { ip: string }) => e.ip)).toContain('203.0.113.7');
  });
});
