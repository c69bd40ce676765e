import { extractAll } from '@electron/asar';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeApiCaller, tempDir } from '../backend/test-support/harness';
import { freePort } from '../backend/test-support/postgres-cluster';
import { assembleLayout, selectAppFiles } from './package-layout';

const root = path.join(import.meta.dirname, '..');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('the packaged layout (what electron-builder packs, from electron-builder.yml)', () => {
  it('selects files as electron-builder does: later ! patterns remove', () => {
    expect(selectAppFiles(['out/main/index.js', 'out/main/index.js.map', 'out/renderer-web/index.html', 'backend/src/main.ts'], ['out/**', '!out/renderer-web/**', '!**/*.map'])).toEqual(['out/main/index.js']);
  });

  it('holds no sources or tests, and the embedded backend starts from it: first admin, health, sign-in', { timeout: 180_000 }, async () => {
    // The Electron bundles come from `electron-vite build` (.ci/run runs it before the tests).
    if (!existsSync(path.join(root, 'out/main/index.js'))) {
      const built = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, encoding: 'utf8' });
      expect(built.status, built.stderr).toBe(0);
    }
    const layout = await assembleLayout(tempDir('opsdesk-layout-'));
    expect(existsSync(path.join(layout.unpacked, 'node_modules/better-sqlite3/package.json'))).toBe(true);
    // Unpacked, the backend would resolve its packages in app.asar.unpacked/node_modules, which holds
    // only the native modules: it must run from inside the archive (appRoot = app.getAppPath()).
    expect(existsSync(path.join(layout.unpacked, 'out'))).toBe(false);

    // What Electron's fs shows of the archive and its unpacked part, as plain folders.
    const view = path.join(tempDir('opsdesk-layout-view-'), 'app.asar');
    extractAll(layout.asar, view);
    const files = walk(view).map((f) => path.relative(view, f).split(path.sep).join('/'));
    const ours = files.filter((f) => !f.startsWith('node_modules/'));
    expect(ours.filter((f) => /\.tsx?$/.test(f))).toEqual([]);
    expect(files.filter((f) => /(^|\/)test-support\/|\.test\.[jt]sx?$/.test(f) && !f.startsWith('node_modules/'))).toEqual([]);
    expect(ours).toEqual(expect.arrayContaining(['out/backend/main.js', 'out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'package.json']));
    expect(files.some((f) => f.startsWith('node_modules/tsx/') || f.startsWith('node_modules/esbuild/') || f.startsWith('node_modules/react/'))).toBe(false);

    // The embedded backend, as the desktop starts it (here with plain node instead of Electron as Node).
    const dataDir = tempDir();
    const env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', JOB_WORKERS: '0', NODE_PATH: '' };
    const admin = { email: 'owner@example.com', name: 'Owner', password: 'packaged-layout-pass-41' };
    const setup = spawnSync(process.execPath, [path.join(view, 'out/backend/first-admin.js')], { cwd: dataDir, env, input: JSON.stringify(admin), encoding: 'utf8' });
    expect(setup.stderr).toBe('');
    expect(setup.status).toBe(0);
    const port = await freePort();
    const server = spawn(process.execPath, [path.join(view, 'out/backend/main.js')], { cwd: dataDir, env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    server.stdout.on('data', (d) => (out += d));
    server.stderr.on('data', (d) => (out += d));
    try {
      const api = makeApiCaller(`http://127.0.0.1:${port}`);
      let health = 0;
      for (let i = 0; i < 100 && health !== 200; i++) {
        health = await fetch(`http://127.0.0.1:${port}/health/`).then(
          (r) => r.status,
          // Not listening yet.
          () => 0,
        );
        if (health !== 200) await new Promise((r) => setTimeout(r, 200));
      }
      expect(health, out).toBe(200);
      const login = await api('POST', '/api/v1/auth/login', { body: { email: admin.email, password: admin.password } });
      expect(login.status, out).toBe(200);
      expect((await api('GET', '/api/v1/me', { token: login.body.accessToken })).body.email).toBe(admin.email);
    } finally {
      server.kill('SIGKILL');
    }
  });
});
