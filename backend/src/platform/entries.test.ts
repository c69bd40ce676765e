import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeApiCaller, tempDir } from '../../test-support/harness';
import { freePort } from '../../test-support/postgres-cluster';
import { entryCommand } from './entries';

const root = path.resolve(import.meta.dirname, '../../..');

describe('backend entries', () => {
  it('start from the TypeScript sources through tsx, or from the compiled files beside the bundle', () => {
    expect(entryCommand('worker-main', 'file:///repo/backend/src/platform/entries.ts')).toEqual([process.execPath, '--import', 'tsx', '/repo/backend/src/jobs/worker-main.ts']);
    expect(entryCommand('worker-main', 'file:///opt/OpsDesk/resources/app.asar.unpacked/out/backend/main.js')).toEqual([process.execPath, '/opt/OpsDesk/resources/app.asar.unpacked/out/backend/worker-main.js']);
  });

  describe('the compiled backend (out/backend, built by the test run)', () => {
    const children: ReturnType<typeof spawn>[] = [];
    const dataDir = tempDir();
    afterAll(() => {
      children.forEach((c) => c.kill('SIGKILL'));
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('runs with plain node: the CLI creates an admin, the server signs them in and supervises compiled job workers', { timeout: 60_000 }, async () => {
      const env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'info' };
      const created = spawnSync(process.execPath, ['out/backend/cli.js', 'create-admin', '--email', 'ops@example.com', '--password-stdin'], { cwd: root, env, input: 'compiled-backend-password-7' });
      expect(created.stderr.toString()).toBe('');
      expect(created.status).toBe(0);

      const port = await freePort();
      const server = spawn(process.execPath, ['out/backend/main.js'], { cwd: root, env: { ...env, PORT: String(port), JOB_WORKERS: '1' } });
      children.push(server);
      let out = '';
      server.stdout.on('data', (d) => (out += d));
      server.stderr.on('data', (d) => (out += d));
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`compiled server did not start: ${out}`)), 30_000);
        server.stdout.on('data', () => out.includes('OpsDesk backend listening') && (clearTimeout(t), resolve()));
      });
      const api = makeApiCaller(`http://127.0.0.1:${port}`);
      const login = await api('POST', '/api/v1/auth/login', { body: { email: 'ops@example.com', password: 'compiled-backend-password-7' } });
      expect(login.status).toBe(200);
      let pid: number | undefined;
      for (let i = 0; i < 100 && !pid; i++) {
        const services = await api('GET', '/api/v1/services', { token: login.body.accessToken });
        pid = services.body.find((s: { name: string }) => s.name === 'job-workers')?.replicas.find((r: { pid: number | null }) => r.pid)?.pid;
        if (!pid) await new Promise((r) => setTimeout(r, 100));
      }
      expect(pid).toBeGreaterThan(0);
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      expect(cmdline).toContain(path.join(root, 'out/backend/worker-main.js'));
      expect(cmdline).not.toContain('tsx');
    });
  });
});
