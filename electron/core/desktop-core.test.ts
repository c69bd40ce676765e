import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserAndLogin, startTestServer, type TestServer } from '../../backend/test-support/harness';
import { DesktopCore } from './desktop-core';
import { APP_ROOT } from './test-support/backend-process';
import { fileSecrets, tmpDir } from './test-support/fixtures';
import type { Updater } from './ports';
import { NoopUpdater } from './updates/update-scheduler';
import { CountingUpdater } from './test-support/counting-updater';
import type { ShownNotification } from '../../shared/ipc';

let server: TestServer;
let notOps: http.Server;
let notOpsUrl: string;
const cores: DesktopCore[] = [];

function newCore(userData = tmpDir(), updater: Updater = new NoopUpdater('0.1.0')) {
  const shown: ShownNotification[] = [];
  const core = new DesktopCore({
    paths: { userData, appRoot: APP_ROOT },
    secrets: fileSecrets(userData),
    notifier: { show: (n) => shown.push(n) },
    updater,
    transport: 'host',
    version: '0.1.0',
  });
  cores.push(core);
  return { core, shown, userData };
}

beforeAll(async () => {
  server = await startTestServer('sqlite', { env: { LOGIN_IP_MAX_PER_MINUTE: '100000' } });
  await createUserAndLogin(server, { email: 'agent@example.com', password: 'sturdy-helper-pass-77', role: 'agent' });
  notOps = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>hello</h1>'));
  await new Promise<void>((r) => notOps.listen(0, '127.0.0.1', () => r()));
  notOpsUrl = `http://127.0.0.1:${(notOps.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  for (const c of cores) await c.shutdown();
  notOps?.close();
  await server?.dispose();
});

describe('DesktopCore over the contract', () => {
  it('answers invalid payloads and unknown channels with typed errors, never a crash', async () => {
    const { core } = newCore();
    expect(await core.dispatch('tickets.list', { limit: 'ten' })).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringContaining('limit') } });
    expect(await core.dispatch('nope', {})).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(await core.dispatch(42, null)).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(await core.dispatch('__proto__', {})).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(await core.dispatch('tickets.list', {})).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    expect(await core.dispatch('session.state', undefined)).toEqual({ ok: true, value: { status: 'no_profile' } });
  });

  it('tells the window where tokens are kept, and turns an undecryptable secrets file into a notice that Settings keeps', async () => {
    const userData = tmpDir();
    writeFileSync(path.join(userData, 'secrets.bin'), 'not a file this key can open');
    const { core } = newCore(userData);
    const events: { event: string; payload: unknown }[] = [];
    core.onEvent((event, payload) => events.push({ event, payload }));
    const info = await core.dispatch('app.info', {});
    expect(info).toMatchObject({ ok: true, value: { secretStorage: { kind: 'encrypted-file', osProtected: false, problem: null } } });
    expect(await core.deps.secrets.get('p:x@example.com')).toBeNull();
    expect(events).toContainEqual({ event: 'notice', payload: expect.objectContaining({ code: 'secrets_unreadable' }) });
    expect(await core.dispatch('app.info', {})).toMatchObject({ ok: true, value: { secretStorage: { problem: expect.stringMatching(/could not be decrypted/) } } });
  });

  it('refuses server URLs that are not http(s) or not an OpsDesk server, with a clear message', async () => {
    const { core } = newCore();
    expect(await core.dispatch('profiles.addServer', { name: 'x', url: 'ftp://example.com' })).toMatchObject({ ok: false, error: { code: 'validation_failed', message: expect.stringContaining('http') } });
    expect(await core.dispatch('profiles.addServer', { name: 'x', url: 'not a url' })).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(await core.dispatch('profiles.addServer', { name: 'x', url: notOpsUrl })).toMatchObject({ ok: false, error: { code: 'not_opsdesk_server' } });
    expect(await core.dispatch('profiles.addServer', { name: 'x', url: 'http://127.0.0.1:9' })).toMatchObject({ ok: false, error: { code: 'server_unreachable' } });
  });

  it('adds a server profile, signs in, lists from the cache, and reports connectivity', async () => {
    const { core } = newCore();
    const added = await core.dispatch('profiles.addServer', { name: 'Team', url: `${server.url}/` });
    expect(added).toMatchObject({ ok: true, value: { kind: 'server', url: server.url } });
    const id = (added as { value: { id: string } }).value.id;
    expect(await core.dispatch('profiles.activate', { id })).toMatchObject({ ok: true, value: { status: 'signed_out' } });
    expect(await core.dispatch('session.login', { email: 'agent@example.com', password: 'wrong-password-1234' })).toMatchObject({ ok: false, error: { code: 'invalid_credentials' } });
    expect(await core.dispatch('session.login', { email: 'agent@example.com', password: 'sturdy-helper-pass-77' })).toMatchObject({ ok: true, value: { status: 'signed_in' } });
    expect(await core.dispatch('tickets.list', {})).toMatchObject({ ok: true, value: { items: [], total: 0 } });
    const views = await core.dispatch('views.list', undefined);
    expect(views).toMatchObject({ ok: true, value: expect.arrayContaining([expect.objectContaining({ name: 'My open', builtIn: true })]) });
    // The token routes stay with the core's session: the renderer has no channel for them.
    expect(await core.dispatch('api.auth.refresh', { body: {} })).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(await core.dispatch('api.auth.me.get', undefined)).toMatchObject({ ok: true, value: { email: 'agent@example.com' } });
    const conn = await core.dispatch('sync.now', undefined);
    expect(conn).toMatchObject({ ok: true, value: { online: true, outbox: { pending: 0 } } });
    expect(await core.dispatch('session.logout', undefined)).toMatchObject({ ok: true, value: { status: 'signed_out', reason: 'logout' } });
  });

  it('points the updater at the feed of the connected server, for the chosen channel', async () => {
    const updater = new CountingUpdater();
    const { core } = newCore(tmpDir(), updater);
    expect(updater.feed).toBeNull();
    const added = await core.dispatch('profiles.addServer', { name: 'Team', url: server.url });
    await core.dispatch('profiles.activate', { id: (added as { value: { id: string } }).value.id });
    expect(updater.feed).toBe(`${server.url}/updates/stable`);
    await core.dispatch('settings.update', { updateChannel: 'beta' });
    expect([updater.channel, updater.feed]).toEqual(['beta', `${server.url}/updates/beta`]);
  });

  it('first run of a local workspace starts the embedded backend, creates the admin and signs in; a corrupt cache is rebuilt', async () => {
    const { core, userData } = newCore();
    const res = await core.dispatch('profiles.addLocal', { name: 'My desk', adminEmail: 'me@example.com', adminName: 'Me', adminPassword: 'my-own-local-passphrase' });
    expect(res).toMatchObject({ ok: true, value: { kind: 'local', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) } });
    expect(await core.dispatch('session.state', undefined)).toMatchObject({ ok: true, value: { status: 'signed_in', user: { email: 'me@example.com', role: 'admin' } } });
    const profileId = (res as { value: { id: string } }).value.id;
    await core.shutdown();

    // Damage the cache, then open the profile again: it is moved aside and rebuilt, with a notice.
    writeFileSync(path.join(userData, 'profiles', profileId, 'cache.db'), 'garbage'.repeat(1000));
    const again = newCore(userData);
    await again.core.start();
    expect(await again.core.dispatch('session.state', undefined)).toMatchObject({ ok: true, value: { status: 'signed_in' } });
    await new Promise((r) => setTimeout(r, 50));
    const notices = await again.core.dispatch('app.notices', undefined);
    expect(notices).toMatchObject({ ok: true, value: [expect.objectContaining({ code: 'cache_rebuilt' })] });
  }, 300_000);
});
