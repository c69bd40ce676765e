// Shared set-up for the workstation end-to-end tests: a real backend, the browser host serving the
// built renderer, and Debian's Chromium driven by playwright-core (never a downloaded browser).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Clock } from '../backend/src/platform/clock';
import { parseConfig, type Config } from '../backend/src/platform/config/config';
import { resolveConfig } from '../backend/src/platform/config/secrets';
import { startServer, type RunningServer } from '../backend/src/app/server';
import { createHostCore } from '../electron/host/create-host-core';
import { startHost, type RunningHost } from '../electron/host/host-server';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const RENDERER_OUT = path.join(ROOT, 'out', 'renderer-web');
export const SCREENSHOTS = path.join(ROOT, 'test-output', 'screenshots');
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function isFresh(): boolean {
  const index = path.join(RENDERER_OUT, 'index.html');
  const sources = Math.max(
    newestMtime(path.join(ROOT, 'renderer', 'src')),
    statSync(path.join(ROOT, 'renderer', 'index.html')).mtimeMs,
  );
  return existsSync(index) && statSync(index).mtimeMs >= sources;
}

/**
 * Builds out/renderer-web when it is missing or older than the renderer's sources. Test files run
 * in parallel, so the build is serialized with a lock directory: a second caller waits, then finds
 * the build fresh (a build empties the folder, which must not happen under a running test).
 */
export function ensureRendererBuilt(): void {
  if (isFresh()) return;
  const lock = path.join(ROOT, 'out', '.renderer-web.lock');
  mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than the deadline is left over from a killed run.
      if (Date.now() > deadline || Date.now() - statSync(lock).mtimeMs > 180_000) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    if (isFresh()) return;
    execFileSync(
      process.execPath,
      [
        path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
        'build',
        '--config',
        'renderer/vite.config.ts',
        '--logLevel',
        'warn',
      ],
      // A production build whoever asks: under vitest NODE_ENV is "test", which gave a React
      // development build (twice the size, effects run twice) to the e2e tests and the UI bench.
      { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
    );
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Backend {
  url: string;
  config: Config;
  server: RunningServer;
  api<T = any>(
    method: string,
    url: string,
    body?: unknown,
    token?: string,
  ): Promise<{ status: number; body: T }>;
  /** Stops the server, keeping its data (the app is "offline"). */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** While stopped: runs the same data on another port the app does not know, so the server can change behind its back. */
  behindTheAppsBack(fn: (api: Backend['api']) => Promise<void>): Promise<void>;
}

/** A real backend on a fixed port with a fresh data folder, so it can be stopped and restarted (optionally on a test's clock). */
export async function startBackend(env: Record<string, string> = {}, options: { clock?: Clock } = {}): Promise<Backend> {
  const port = await freePort();
  const dataDir = tempDir('opsdesk-e2e-backend-');
  const config = resolveConfig(
    parseConfig({
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      LOGIN_IP_MAX_PER_MINUTE: '100000',
      ...env,
    }),
  );
  const b: Backend = {
    url: `http://127.0.0.1:${port}`,
    config,
    server: await startServer(config, options),
    async api(method, url, body, token) {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${b.url}${url}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed as any };
    },
    async stop() {
      await b.server.stop();
    },
    async start() {
      b.server = await startServer(config, options);
    },
    async behindTheAppsBack(fn) {
      const other = await startServer({ ...config, PORT: await freePort() });
      const url = `http://127.0.0.1:${other.port}`;
      try {
        await fn(async (method, path, body, token) => {
          const headers: Record<string, string> = {};
          if (token) headers.authorization = `Bearer ${token}`;
          if (body !== undefined) headers['content-type'] = 'application/json';
          const res = await fetch(`${url}${path}`, {
            method,
            headers,
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          const text = await res.text();
          return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
        });
      } finally {
        await other.stop();
      }
    },
  };
  return b;
}

export async function createUser(
  b: Backend,
  user: { email: string; password: string; name: string; role: 'agent' | 'oncall' | 'admin' },
): Promise<{ id: string; token: string }> {
  const created = await b.server.services.userService.create({ id: null, email: 'e2e', ip: null }, user);
  const res = await b.api<{ accessToken: string }>('POST', '/api/v1/auth/login', {
    email: user.email,
    password: user.password,
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: created.id, token: res.body.accessToken };
}

export interface Host {
  host: RunningHost;
  core: Awaited<ReturnType<typeof createHostCore>>['core'];
  notifier: Awaited<ReturnType<typeof createHostCore>>['notifier'];
  close(): Promise<void>;
}

/** The browser host on a fresh app data folder (no profile: the UI starts at first run; with `serverUrl`, at sign-in to it). */
export async function startBrowserHost(serverUrl?: string, options: { syncSnapshot?: boolean } = {}): Promise<Host> {
  ensureRendererBuilt();
  const { core, notifier } = await createHostCore({ dataDir: tempDir('opsdesk-e2e-host-'), quiet: true, ...options });
  if (serverUrl) core.profiles.setActive(core.profiles.add({ name: 'Team server', kind: 'server', url: serverUrl }, Date.now()).id);
  await core.start();
  const host = await startHost({ core, rendererDir: RENDERER_OUT });
  return {
    host,
    core,
    notifier,
    async close() {
      await host.close();
      await core.shutdown();
    },
  };
}

/** A browser host signed in as `person` in its own Chromium context, its live feed connected, the keychain notice dismissed. */
export async function signInDesktop(browser: Browser, serverUrl: string, person: { email: string; password: string }, label = person.email): Promise<{ host: Host; context: BrowserContext; page: Page }> {
  const host = await startBrowserHost(serverUrl);
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
  await context.grantPermissions(['notifications'], { origin: host.host.url });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`${label} page error:`, e.message));
  await page.goto(host.host.openUrl);
  await page.getByRole('heading', { name: 'Sign in to OpsDesk' }).waitFor({ timeout: 20_000 });
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  await until(async () => host.core.active?.live.state === 'connected', 15_000, `${label}'s live feed`);
  // The keychain fallback notice (no Secret Service here) is dismissed as a person would.
  const dismiss = page.getByRole('button', { name: 'Dismiss' });
  if (await dismiss.count()) await dismiss.first().click();
  return { host, context, page };
}

/** The start of a journey: a fresh browser host and Chromium with one page whose errors are logged; `close()` ends both. */
export interface Journey {
  host: Host;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

export async function openJourney(options: { height?: number; acceptDownloads?: boolean } = {}): Promise<Journey> {
  const host = await startBrowserHost();
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1360, height: options.height ?? 860 }, acceptDownloads: options.acceptDownloads });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  return {
    host,
    browser,
    page,
    async close() {
      await browser.close();
      await host.close();
    },
  };
}

/** A signed-in desktop: a browser host in its own Chromium context. */
export interface Desktop {
  host: Host;
  context: BrowserContext;
  page: Page;
}

/** One Chromium for the desktops a journey signs in to `serverUrl`; `close()` ends them all. */
export interface Desktops {
  signIn(person: { email: string; password: string }): Promise<Desktop>;
  close(): Promise<void>;
}

export async function openDesktops(serverUrl: string): Promise<Desktops> {
  const browser = await launchChromium();
  const open: Desktop[] = [];
  return {
    async signIn(person) {
      const desktop = await signInDesktop(browser, serverUrl, person);
      open.push(desktop);
      return desktop;
    },
    async close() {
      await browser.close();
      for (const d of open) await d.host.close();
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
}

/** Saves the page in light and dark (the OS preference the app follows by default). */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForFunction((s) => document.documentElement.dataset.theme === s, scheme);
    await page.waitForTimeout(150);
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

export async function until<T>(
  fn: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The first-run screen → "Connect to a server" → sign in as `user`; resolves once the main
 * navigation shows, with a first-run notice dismissed when one is up.
 */
export async function connectAndSignIn(page: Page, openUrl: string, serverUrl: string, user: { email: string; password: string }): Promise<void> {
  await page.goto(openUrl);
  await page.getByRole('button', { name: /Connect to a server/ }).click();
  await page.getByLabel('Server URL').fill(serverUrl);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  const dismiss = page.getByRole('button', { name: 'Dismiss' });
  if (await dismiss.count()) await dismiss.first().click();
}
