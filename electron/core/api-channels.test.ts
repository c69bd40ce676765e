import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserAndLogin, startTestServer, type TestServer } from '../../backend/test-support/harness';
import { isRendererVisible } from '../../shared/api/route';
import { ROUTE_LIST } from '../../shared/api/routes';
import { API_CHANNEL_NAMES, CHANNEL_NAMES, channelKind, channels, type ChannelName, type ChannelRequest, type ChannelResponse } from '../../shared/ipc';
import { DesktopCore } from './desktop-core';
import { APP_ROOT } from './test-support/backend-process';
import { fileSecrets, tmpDir } from './test-support/fixtures';
import { NoopUpdater } from './updates/update-scheduler';

// The `api.*` channels are derived from the route table and answered by one generic handler:
// called here through the core's dispatch against a real backend.

const ADMIN = { email: 'route-admin@example.com', password: 'derived-channels-admin-55', role: 'admin' as const };

let server: TestServer;
const cores: DesktopCore[] = [];
let admin: DesktopCore;

function newCore(): DesktopCore {
  const userData = tmpDir();
  const core = new DesktopCore({ paths: { userData, appRoot: APP_ROOT }, secrets: fileSecrets(userData), notifier: { show: () => {} }, updater: new NoopUpdater('0.1.0'), transport: 'host', version: '0.1.0' });
  cores.push(core);
  return core;
}

async function call<C extends ChannelName>(core: DesktopCore, channel: C, payload: ChannelRequest<C>): Promise<ChannelResponse<C>> {
  const res = await core.dispatch(channel, payload);
  if (!res.ok) throw new Error(`${channel} failed: ${JSON.stringify(res.error)}`);
  return res.value as ChannelResponse<C>;
}

beforeAll(async () => {
  server = await startTestServer('sqlite', { env: { MONITORING_LOOPS: 'false', OPS_SCHEDULERS: 'false', LOGIN_IP_MAX_PER_MINUTE: '100000' } });
  await createUserAndLogin(server, ADMIN);
  admin = newCore();
  const added = await call(admin, 'profiles.addServer', { name: 'Team', url: server.url });
  await call(admin, 'profiles.activate', { id: added.id });
  expect(await call(admin, 'session.login', ADMIN)).toMatchObject({ status: 'signed_in' });
}, 90_000);

afterAll(async () => {
  for (const c of cores) await c.shutdown();
  await server?.dispose();
});

describe('api.* channels derived from the route table', () => {
  it('has one online channel per route the renderer may call, and none for core-only or file routes', () => {
    const visible = ROUTE_LIST.filter(isRendererVisible).map((r) => `api.${r.name}`);
    expect([...API_CHANNEL_NAMES].sort()).toEqual(visible.sort());
    expect(API_CHANNEL_NAMES.every((c) => CHANNEL_NAMES.includes(c) && channelKind(c) === 'online')).toBe(true);
    expect(CHANNEL_NAMES).not.toContain('api.auth.login');
    for (const name of CHANNEL_NAMES) expect(['local', 'cache', 'outbox', 'online'], name).toContain(channels[name].kind);
  });

  it('a write with path parameters and a body, read back through a channel without a request', async () => {
    const updated = await call(admin, 'api.sla.policies.update', { params: { priority: 'high' }, body: { firstResponseMinutes: 45, resolutionMinutes: 600 } });
    expect(updated).toMatchObject({ priority: 'high', firstResponseMinutes: 45, resolutionMinutes: 600 });
    const policies = await call(admin, 'api.sla.policies.list', undefined);
    expect(policies.find((p) => p.priority === 'high')).toMatchObject({ firstResponseMinutes: 45, resolutionMinutes: 600 });
  });

  it('a query: the audit log filtered by action and paged', async () => {
    const page = await call(admin, 'api.audit.list', { query: { action: 'sla.policy_updated', limit: 5 } });
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((e) => e.action === 'sla.policy_updated')).toBe(true);
  });

  it('a read with path parameters, and a 4xx answer as a typed error', async () => {
    const created = await call(admin, 'api.incidents.create', { body: { title: 'Derived channel check', severity: 'low' } });
    expect(await call(admin, 'api.incidents.get', { params: { id: created.id } })).toMatchObject({ id: created.id, title: 'Derived channel check' });
    expect(await admin.dispatch('api.incidents.get', { params: { id: 'no-such-incident' } })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('refuses a request outside the route schema before it is sent, and needs a signed-in session', async () => {
    expect(await admin.dispatch('api.sla.policies.update', { params: { priority: 'bogus' }, body: { firstResponseMinutes: 1, resolutionMinutes: 1 } })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await newCore().dispatch('api.sla.policies.list', undefined)).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
  });
});
