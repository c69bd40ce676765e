import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '../../../shared/api/tickets';
import { DATABASES, startTestServer, type TestServer } from '../../test-support/harness';
import { helpdeskFixture, type HelpdeskFixture } from '../../test-support/helpdesk-fixture';
import { ManualClock } from '../platform/clock';

const MIN = 60_000;

/** The SLA notices of one ticket that reached the deliveries (one desktop row per notice and person). */
async function notices(server: TestServer, ticket: Ticket, head: 'SLA warning' | 'SLA breached'): Promise<number> {
  const rows = await server.services.database.db
    .selectFrom('notification_deliveries')
    .select('id')
    .where('alert_id', 'is', null)
    .where('channel', '=', 'desktop')
    .where('payload', 'like', `%[${head}] #${ticket.number} %`)
    .execute();
  return rows.length;
}

describe.each(DATABASES)('SLA notices per clock on %s', (kind) => {
  let server: TestServer;
  let f: HelpdeskFixture;
  const clock = new ManualClock(Date.UTC(2026, 2, 2, 9, 0, 0));

  beforeAll(async () => {
    server = await startTestServer(kind, { clock, env: { ACCESS_TOKEN_TTL_SECONDS: '86400', NOTIFY_DESKTOP_ACK_MS: '200' } });
    f = await helpdeskFixture(server);
  });
  afterAll(() => server?.dispose());

  const get = async (id: string) => (await server.api<Ticket>('GET', `/api/v1/tickets/${id}`, { token: f.agentA.accessToken })).body;
  const patch = async (id: string, body: Record<string, unknown>) => {
    const res = await server.api<Ticket>('PATCH', `/api/v1/tickets/${id}`, { token: f.agentA.accessToken, body: { ...body, version: (await get(id)).version } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const tick = () => server.services.slaWatcher.tick();

  it('warns again when the clock restarts (waiting on the customer, then open again), once per restart', async () => {
    // Critical, 15 min first response: warned at 12 min.
    const t = await f.createTicket(f.agentA.accessToken, { priority: 'critical', subject: 'Core switch down', assigneeId: f.agentA.id });
    clock.advance(12 * MIN + 1000);
    await tick();
    await tick();
    await expect.poll(() => notices(server, t, 'SLA warning')).toBe(1);
    // The warning is in the change feed too: desktops show the ticket's state as "warning".
    const feed = (await server.api('GET', '/api/v1/sync/changes?since=0&limit=1000', { token: f.agentA.accessToken })).body.changes as { id: string; data: Ticket }[];
    expect(feed.filter((c) => c.id === t.id).at(-1)?.data.sla.state).toBe('warning');
    await patch(t.id, { status: 'pending' });
    clock.advance(60 * MIN);
    const resumed = await patch(t.id, { status: 'open' });
    expect(resumed.sla.firstResponseWarnAt).toBe(t.sla.firstResponseWarnAt! + 60 * MIN);
    // Paused 1 s past its 80 % point: open again, it is 1 s past the (later) point and warns at once.
    await tick();
    await tick();
    await expect.poll(() => notices(server, t, 'SLA warning')).toBe(2);
    clock.advance(3 * MIN);
    expect(await tick()).toBeGreaterThanOrEqual(1);
    await tick();
    await expect.poll(() => notices(server, t, 'SLA breached')).toBe(1);
    expect(await notices(server, t, 'SLA warning')).toBe(2);
  });

  it('warns again when a recomputed deadline moves the warning point later, not when it moves earlier', async () => {
    // High, 60 min first response: warned at 48 min.
    const t = await f.createTicket(f.agentA.accessToken, { priority: 'high', subject: 'VPN flapping', assigneeId: f.agentA.id });
    const other = await f.createTicket(f.agentA.accessToken, { priority: 'high', subject: 'Printer queue stuck', assigneeId: f.agentA.id });
    clock.advance(49 * MIN);
    await tick();
    await expect.poll(() => notices(server, t, 'SLA warning')).toBe(1);
    // 120 min now, 49 used: due in 71 min, warning in 47 min.
    expect((await server.api('PUT', '/api/v1/sla/policies/high', { token: f.admin.accessToken, body: { firstResponseMinutes: 120, resolutionMinutes: 480 } })).status).toBe(200);
    await server.services.slaRecompute.idle();
    expect((await get(t.id)).sla.firstResponseWarnAt).toBe(clock.now() + 47 * MIN);
    await tick();
    expect(await notices(server, t, 'SLA warning')).toBe(1);
    clock.advance(48 * MIN);
    await tick();
    await tick();
    await expect.poll(() => notices(server, t, 'SLA warning')).toBe(2);
    await expect.poll(() => notices(server, other, 'SLA warning')).toBe(2);
    // 100 min: due in 3 min, the 80 % point (20 min before) already passed: no new warning, only the breach.
    expect((await server.api('PUT', '/api/v1/sla/policies/high', { token: f.admin.accessToken, body: { firstResponseMinutes: 100, resolutionMinutes: 480 } })).status).toBe(200);
    await server.services.slaRecompute.idle();
    await tick();
    clock.advance(4 * MIN);
    await tick();
    await expect.poll(() => notices(server, t, 'SLA breached')).toBe(1);
    expect(await notices(server, t, 'SLA warning')).toBe(2);
  });
});

describe('two servers on one PostgreSQL database', () => {
  let a: TestServer;
  let b: TestServer;
  let f: HelpdeskFixture;
  const clock = new ManualClock(Date.UTC(2026, 2, 2, 9, 0, 0));

  beforeAll(async () => {
    a = await startTestServer('postgres', { clock, env: { NOTIFY_DESKTOP_ACK_MS: '200' } });
    b = await startTestServer('postgres', { clock, env: { DATABASE_URL: a.config.DATABASE_URL, NOTIFY_DESKTOP_ACK_MS: '200' } });
    f = await helpdeskFixture(a);
  });
  afterAll(async () => {
    await b?.dispose();
    await a?.dispose();
  });

  it('announce each warning and each breach exactly once between them', async () => {
    const tickets: Ticket[] = [];
    for (let i = 0; i < 12; i++) tickets.push(await f.createTicket(f.agentA.accessToken, { priority: 'critical', subject: `Outage ${i}`, assigneeId: f.agentA.id }));
    clock.advance(12 * MIN + 1000);
    await Promise.all([a.services.slaWatcher.tick(), b.services.slaWatcher.tick(), a.services.slaWatcher.tick(), b.services.slaWatcher.tick()]);
    expect(a.services.slaWatcher.warnings + b.services.slaWatcher.warnings).toBe(12);
    for (const t of tickets) await expect.poll(() => notices(a, t, 'SLA warning')).toBe(1);
    clock.advance(4 * MIN);
    const [x, y] = await Promise.all([a.services.slaWatcher.tick(), b.services.slaWatcher.tick()]);
    expect(x + y).toBe(12);
    for (const t of tickets) await expect.poll(() => notices(a, t, 'SLA breached')).toBe(1);
    expect((await Promise.all(tickets.map((t) => notices(a, t, 'SLA warning')))).every((n) => n === 1)).toBe(true);
  }, 60_000);
});
