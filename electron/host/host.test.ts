import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { OpsdeskApi } from '../../shared/ipc';
import { createUserAndLogin, startTestServer, type TestServer } from '../../backend/test-support/harness';
import { tmpDir } from '../core/test-support/fixtures';
import { waitFor } from '../core/test-support/stack';
import { createHostCore } from './create-host-core';
import { startHost, type RunningHost } from './host-server';

// Page-side globals, for the functions passed to page.evaluate (this file compiles without the DOM lib).
interface PageWindow {
  opsdesk: OpsdeskApi;
  navigations: unknown[];
  __opsdeskNotifications: unknown[];
}
declare const window: PageWindow;
declare const document: { getElementById(id: string): { textContent: string | null } | null };

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let server: TestServer;
let browser: Browser;
let host: RunningHost;
let hostCore: Awaited<ReturnType<typeof createHostCore>>;
let adminToken: string;

beforeAll(async () => {
  server = await startTestServer('sqlite', { env: { LOGIN_IP_MAX_PER_MINUTE: '100000' } });
  adminToken = (await createUserAndLogin(server, { email: 'boss@example.com', password: 'quartz-lantern-velvet-42', role: 'admin' })).accessToken;
  await createUserAndLogin(server, { email: 'responder@example.com', password: 'pager-duty-secret-9', role: 'oncall' });
  hostCore = await createHostCore({ dataDir: tmpDir(), quiet: true });
  const profile = hostCore.core.profiles.add({ name: 'Test server', kind: 'server', url: server.url }, Date.now());
  hostCore.core.profiles.setActive(profile.id);
  await hostCore.core.start();
  host = await startHost({ core: hostCore.core, rendererDir: path.join(tmpDir(), 'not-built') });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await hostCore?.core.shutdown();
  await server?.dispose();
});

function connect(url: string, headers: Record<string, string> = {}): Promise<{ opened: boolean; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve({ opened: true });
    });
    ws.on('unexpected-response', (_req, res) => resolve({ opened: false, status: res.statusCode }));
    ws.on('error', () => resolve({ opened: false }));
  });
}

describe('browser host', () => {
  it('rejects bridge connections without the per-run secret or from another origin', async () => {
    const base = host.url.replace('http', 'ws');
    expect(await connect(`${base}/__opsdesk/bridge`)).toEqual({ opened: false, status: 401 });
    expect(await connect(`${base}/__opsdesk/bridge?token=wrong-secret`)).toEqual({ opened: false, status: 401 });
    expect(await connect(`${base}/__opsdesk/bridge?token=${host.secret}`, { origin: 'http://evil.example' })).toEqual({ opened: false, status: 403 });
    expect(await connect(`${base}/__opsdesk/bridge?token=${host.secret}`, { origin: host.url })).toEqual({ opened: true });
  });

  it('answers malformed input with 400 or 401 and keeps serving', async () => {
    const base = host.url.replace('http', 'ws');
    for (const bad of ['/%E0%A4%A', '/assets/%', '/%ZZ']) expect((await fetch(`${host.url}${bad}`)).status).toBe(400);
    // As long as the secret in characters, not in bytes: compared as digests, never thrown on.
    const odd = encodeURIComponent('é'.repeat(host.secret.length));
    expect(await connect(`${base}/__opsdesk/bridge?token=${odd}`)).toEqual({ opened: false, status: 401 });
    expect(await connect(`${base}/__opsdesk/bridge?token=%E0%A4%A`)).toEqual({ opened: false, status: 401 });
    // A frame that is not JSON, or not an invoke, gets an error answer; the bridge stays up.
    const ws = new WebSocket(`${base}/__opsdesk/bridge?token=${host.secret}`);
    const answers: unknown[] = [];
    ws.on('message', (d) => answers.push(JSON.parse(String(d))));
    await new Promise((r) => ws.on('open', r));
    ws.send('{not json');
    ws.send(JSON.stringify({ type: 'invoke', id: 7, channel: 'app.info', payload: {} }));
    await waitFor(() => answers.some((a) => (a as { id?: number }).id === 7));
    expect(answers[0]).toMatchObject({ type: 'error', message: expect.stringContaining('JSON') });
    ws.close();
    expect((await fetch(`${host.url}/__opsdesk/health`)).status).toBe(200);
  });

  it('serves the page to Chromium, bridges the contract, validates payloads, and forwards notifications', async () => {
    const context = await browser.newContext();
    await context.grantPermissions(['notifications'], { origin: host.url });
    const page = await context.newPage();
    await page.goto(host.openUrl);
    await page.waitForSelector('#status[data-ready="true"]');
    expect(await page.textContent('#status')).toContain('over the host bridge');
    expect(page.url()).not.toContain('token=');

    const login = await page.evaluate(() => window.opsdesk.invoke('session.login', { email: 'responder@example.com', password: 'pager-duty-secret-9' }));
    expect(login).toMatchObject({ ok: true, value: { status: 'signed_in', user: { role: 'oncall' } } });
    const bad = await page.evaluate(() => window.opsdesk.invoke('tickets.update', { ticketId: 't1', changes: {} } as never));
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const unknown = await page.evaluate(() => (window.opsdesk.invoke as (c: string, p: unknown) => Promise<unknown>)('no.such.channel', {}));
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    await page.evaluate(() => {
      window.navigations = [];
      window.opsdesk.on('navigate', (link: unknown) => window.navigations.push(link));
    });

    await waitFor(() => hostCore.core.active?.live.state === 'connected');
    const fired = await server.api<{ id: string }>('POST', '/api/v1/alerts', { token: adminToken, body: { name: 'db_down', severity: 'critical', summary: 'Primary database is down', labels: { host: 'db1' } } });
    expect(fired.status).toBe(201);
    await page.waitForFunction(() => window.__opsdeskNotifications.length > 0, null, { timeout: 15_000 });
    const shown = hostCore.notifier.shown[0]!;
    expect(shown).toMatchObject({ alertId: fired.body.id, severity: 'critical', sound: true });
    const history = await page.evaluate(() => window.opsdesk.invoke('notifications.history'));
    expect(history).toMatchObject({ ok: true, value: [{ id: shown.id }] });

    // Clicking the popup opens the alert.
    await page.evaluate((id) => window.opsdesk.invoke('notifications.clicked', { notificationId: id }), shown.id);
    await page.waitForFunction(() => window.navigations.length > 0);
    expect(await page.evaluate(() => window.navigations[0])).toEqual({ kind: 'alert', id: fired.body.id });

    // "Acknowledge" on the popup goes through the outbox to the server.
    hostCore.notifier.acknowledge(shown.id);
    const deadline = Date.now() + 10_000;
    let status = '';
    while (Date.now() < deadline && status !== 'acknowledged') {
      status = (await server.api<{ status: string }>('GET', `/api/v1/alerts/${fired.body.id}`, { token: adminToken })).body.status;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('acknowledged');
    await context.close();
  }, 60_000);

  it('serves a built renderer with the bridge injected first, and nothing outside its folder', async () => {
    const dir = path.join(tmpDir(), 'renderer-web');
    mkdirSync(path.join(dir, 'assets'), { recursive: true });
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="connect-src \'self\'" /><title>OpsDesk</title><script type="module" src="./assets/app.js"></script></head><body><div id="root"></div></body></html>');
    writeFileSync(path.join(dir, 'assets', 'app.js'), "window.opsdesk.invoke('app.info').then((r) => { document.getElementById('root').textContent = r.value.transport; });");
    const second = await startHost({ core: hostCore.core, rendererDir: dir });
    try {
      const page = await browser.newPage();
      await page.goto(second.openUrl);
      await page.waitForFunction(() => document.getElementById('root')?.textContent === 'host');
      const res = await fetch(`${second.url}/index.html`);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      const html = await res.text();
      expect(html).toMatch(/<head>\s*<script src="\/__opsdesk\/bridge\.js"><\/script>/);
      // The build's meta policy gives way to the host's header, which adds the bridge socket.
      expect(html).not.toContain('http-equiv');
      expect(res.headers.get('content-security-policy')).toContain(`connect-src 'self' ${second.url.replace('http', 'ws')}`);
      expect((await fetch(`${second.url}/..%2f..%2fpackage.json`)).status).not.toBe(200);
      // Content-hashed build assets are kept by the browser; the page and unhashed files are re-read.
      writeFileSync(path.join(dir, 'assets', 'index-Dq3x_9Ab.js'), 'export {};');
      expect((await fetch(`${second.url}/assets/index-Dq3x_9Ab.js`)).headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect((await fetch(`${second.url}/assets/app.js`)).headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      await page.close();
    } finally {
      await second.close();
    }
  }, 60_000);
});
