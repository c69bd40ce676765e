import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserAndLogin, startTestServer, type TestServer } from '../../../backend/test-support/harness';
import { createHostCore } from '../../host/create-host-core';
import { tmpDir } from '../test-support/fixtures';
import { waitFor } from '../test-support/stack';

/**
 * Acknowledge from the popup, end to end through a real desktop core against a real backend: the
 * server pages the signed-in user, the core confirms and shows the popup; a Windows toast's
 * Acknowledge button activates opsdesk://alerts/<id>/ack, which acknowledges through the outbox.
 */
describe('acknowledge from the popup', () => {
  let server: TestServer;
  let adminToken: string;
  let host: Awaited<ReturnType<typeof createHostCore>>;

  beforeAll(async () => {
    server = await startTestServer('sqlite', { env: { LOGIN_IP_MAX_PER_MINUTE: '100000' } });
    adminToken = (await createUserAndLogin(server, { email: 'boss@example.com', password: 'quartz-lantern-velvet-42', role: 'admin' })).accessToken;
    await createUserAndLogin(server, { email: 'responder@example.com', password: 'pager-duty-secret-9', role: 'oncall' });
    host = await createHostCore({ dataDir: tmpDir(), quiet: true });
    host.core.profiles.setActive(host.core.profiles.add({ name: 'Test server', kind: 'server', url: server.url }, Date.now()).id);
    await host.core.start();
    const login = await host.core.dispatch('session.login', { email: 'responder@example.com', password: 'pager-duty-secret-9' });
    expect(login).toMatchObject({ ok: true, value: { status: 'signed_in' } });
    await waitFor(() => host.core.active?.live.state === 'connected');
  }, 60_000);
  afterAll(async () => {
    await host?.core.shutdown();
    await server?.dispose();
  });

  const fire = async (name: string) => (await server.api<{ id: string }>('POST', '/api/v1/alerts', { token: adminToken, body: { name, severity: 'high', summary: `${name} on web-1`, labels: { host: 'web-1' } } })).body.id;
  const status = async (id: string) => (await server.api<{ status: string; ownerName: string | null }>('GET', `/api/v1/alerts/${id}`, { token: adminToken })).body;

  it('the toast’s Acknowledge link acknowledges the paged alert; Open only opens it', async () => {
    const navigations: unknown[] = [];
    host.core.onEvent((event, payload) => void (event === 'navigate' && navigations.push(payload)));
    const id = await fire('disk_full');
    await waitFor(() => host.notifier.shown.some((n) => n.alertId === id), 15_000);
    const delivery = (await server.api<{ channel: string; status: string }[]>('GET', `/api/v1/alerts/${id}/deliveries`, { token: adminToken })).body.find((d) => d.channel === 'desktop');
    expect(delivery?.status).toBe('sent');

    expect(host.core.notifications.activated(`opsdesk://alerts/${id}`)).toBe(true);
    expect(navigations).toEqual([{ kind: 'alert', id }]);
    expect((await status(id)).status).toBe('firing');

    expect(host.core.notifications.activated(`opsdesk://alerts/${id}/ack`)).toBe(true);
    const deadline = Date.now() + 10_000;
    while ((await status(id)).status !== 'acknowledged' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await status(id)).toMatchObject({ status: 'acknowledged', ownerName: 'responder@example.com' });
    expect(host.core.notifications.activated('opsdesk://ticket/42')).toBe(false);
  }, 30_000);
});
