import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserAndLogin, startTestServer, type TestServer } from '../../../backend/test-support/harness';
import { ManualClock } from '../../../backend/src/platform/clock';
import { createHostCore } from '../../host/create-host-core';
import { tmpDir } from '../test-support/fixtures';
import { waitFor } from '../test-support/stack';

/**
 * An SLA popup opens its ticket, end to end through a real desktop core against a real backend:
 * the SLA watcher warns the assignee, the server routes the notice to their desktop, the core
 * shows it with the ticket's number, and a click on it navigates to that ticket, as an alert
 * popup's click opens its alert.
 */
describe('clicking an SLA popup', () => {
  let server: TestServer;
  let adminToken: string;
  let agent: { id: string; accessToken: string };
  let host: Awaited<ReturnType<typeof createHostCore>>;
  const clock = new ManualClock(Date.now());

  beforeAll(async () => {
    server = await startTestServer('sqlite', { clock, env: { LOGIN_IP_MAX_PER_MINUTE: '100000' } });
    adminToken = (await createUserAndLogin(server, { email: 'boss@example.com', password: 'quartz-lantern-velvet-42', role: 'admin' })).accessToken;
    agent = await createUserAndLogin(server, { email: 'agent@example.com', password: 'orchid-harbour-5521', role: 'agent' });
    host = await createHostCore({ dataDir: tmpDir(), quiet: true });
    host.core.profiles.setActive(host.core.profiles.add({ name: 'Test server', kind: 'server', url: server.url }, Date.now()).id);
    await host.core.start();
    const login = await host.core.dispatch('session.login', { email: 'agent@example.com', password: 'orchid-harbour-5521' });
    expect(login).toMatchObject({ ok: true, value: { status: 'signed_in' } });
    await waitFor(() => host.core.active?.live.state === 'connected');
  }, 60_000);
  afterAll(async () => {
    await host?.core.shutdown();
    await server?.dispose();
  });

  it('shows the warning with its ticket and a click opens that ticket', async () => {
    const navigations: unknown[] = [];
    host.core.onEvent((event, payload) => void (event === 'navigate' && navigations.push(payload)));
    const queue = (await server.api<{ id: string }>('POST', '/api/v1/queues', { token: adminToken, body: { name: 'Service Desk', memberIds: [agent.id] } })).body;
    const ticket = (
      await server.api<{ id: string; number: number }>('POST', '/api/v1/tickets', {
        token: adminToken,
        body: { queueId: queue.id, subject: 'Core switch down', requester: { name: 'Rita', email: 'rita@example.com' }, priority: 'critical', assigneeId: agent.id },
      })
    ).body;
    clock.advance(12 * 60_000 + 1000); // 80 % of the 15 min first response
    await server.services.slaWatcher.tick();
    await waitFor(() => host.notifier.shown.some((n) => n.ticketNumber === ticket.number), 15_000);
    const shown = host.notifier.shown.find((n) => n.ticketNumber === ticket.number)!;
    expect(shown).toMatchObject({ title: `[SLA warning] #${ticket.number} Core switch down`, alertId: null, alertIds: [] });
    host.notifier.click(shown.id);
    expect(navigations).toEqual([{ kind: 'ticket', number: ticket.number }]);
    // The browser host's page sends the same click as notifications.clicked.
    expect(await host.core.dispatch('notifications.clicked', { notificationId: shown.id })).toMatchObject({ ok: true });
    expect(navigations).toEqual([{ kind: 'ticket', number: ticket.number }, { kind: 'ticket', number: ticket.number }]);
  }, 30_000);
});
