import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../../backend/test-support/harness';
import type { HelpdeskFixture } from '../../../backend/test-support/helpdesk-fixture';
import { coreStack, fixtureServer, waitFor } from '../test-support/stack';

let server: TestServer;
let f: HelpdeskFixture;
const PASSWORD = 'a-long-test-password-1';
let n = 0;

beforeAll(async () => {
  ({ server, f, n } = await fixtureServer());
}, 60_000);
afterAll(async () => {
  await server?.dispose();
});

const agentA = () => ({ email: `a${n}@example.com`, password: PASSWORD });
const patch = (token: string, id: string, version: number, body: object) => server.api('PATCH', `/api/v1/tickets/${id}`, { token, body: { ...body, version } });

describe('sync against the real backend', () => {
  it('initial sync pages the feed into the cache, only what the user may see', async () => {
    for (let i = 0; i < 12; i++) await f.createTicket(f.agentA.accessToken, { subject: `Initial ${i} VPN drops` });
    await f.createTicket(f.admin.accessToken, { queueId: f.q2.id, subject: 'Database queue only' });
    const core = await coreStack(server.url, agentA().email, agentA().password, { pageSize: 5, snapshot: false });
    const progress: number[] = [];
    core.sync.on('progress', (p: { done: number }) => progress.push(p.done));
    await core.sync.run();
    const server1 = (await server.api('GET', '/api/v1/tickets?limit=200', { token: f.agentA.accessToken })).body.items as { id: string; subject: string; version: number }[];
    const cached = core.cache.tickets.list({}, { field: 'number', dir: 'asc' }, 0, 1000, null);
    expect(cached.total).toBe(server1.length);
    expect(cached.items.map((t) => t.id).sort()).toEqual(server1.map((t) => t.id).sort());
    expect(cached.items.some((t) => t.subject === 'Database queue only')).toBe(false);
    expect(core.cache.queues().map((q) => q.id)).toContain(f.q1.id);
    expect(progress.length).toBeGreaterThan(3);
    expect(core.sync.status()).toMatchObject({ phase: 'idle', error: null });
    expect(core.cache.tickets.search('vpn', 50).length).toBe(12);
    core.close();
  });

  it('delta sync applies only what changed since the cursor', async () => {
    const core = await coreStack(server.url, agentA().email, agentA().password);
    await core.sync.run();
    const before = core.cache.syncCursor;
    const t = await f.createTicket(f.agentA.accessToken, { subject: 'Delta ticket' });
    await patch(f.oncall.accessToken, t.id, t.version, { priority: 'critical' });
    await server.api('POST', `/api/v1/tickets/${t.id}/comments`, { token: f.oncall.accessToken, body: { body: 'Looking into it', visibility: 'public' } });
    let applied = 0;
    core.sync.on('progress', (p: { done: number }) => (applied = p.done));
    await core.sync.run();
    expect(core.cache.syncCursor).toBeGreaterThan(before);
    expect(applied).toBeLessThan(10);
    const detail = core.cache.tickets.detail({ id: t.id })!;
    expect(detail.ticket.priority).toBe('critical');
    expect(detail.comments.map((c) => c.body)).toEqual(['Looking into it']);
    core.close();
  });

  it('merges a 409 automatically when the server changed other fields', async () => {
    const core = await coreStack(server.url, agentA().email, agentA().password);
    const t = await f.createTicket(f.agentA.accessToken, { subject: 'Merge me' });
    await core.sync.run();
    core.outbox.updateTickets([t.id], { priority: 'high' });
    await patch(f.oncall.accessToken, t.id, t.version, { subject: 'Merge me (renamed on the server)' });
    await core.outbox.replay();
    expect(core.outbox.list()).toEqual([]);
    const now = (await server.api('GET', `/api/v1/tickets/${t.id}`, { token: f.agentA.accessToken })).body;
    expect(now).toMatchObject({ priority: 'high', subject: 'Merge me (renamed on the server)' });
    expect(core.cache.tickets.detail({ id: t.id })!.ticket).toMatchObject({ priority: 'high', subject: 'Merge me (renamed on the server)', pending: false });
    core.close();
  });

  it('keeps a same-field conflict for the user with both values; keep mine and take theirs', async () => {
    const core = await coreStack(server.url, agentA().email, agentA().password);
    const t1 = await f.createTicket(f.agentA.accessToken, { subject: 'Conflict A' });
    const t2 = await f.createTicket(f.agentA.accessToken, { subject: 'Conflict B' });
    await core.sync.run();
    core.outbox.updateTickets([t1.id, t2.id], { priority: 'low' });
    await patch(f.oncall.accessToken, t1.id, t1.version, { priority: 'critical' });
    await patch(f.oncall.accessToken, t2.id, t2.version, { priority: 'critical' });
    await core.outbox.replay();
    const items = core.outbox.list();
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ state: 'conflict', conflicts: [{ field: 'priority', mine: 'low', theirs: 'critical' }] });
    expect(core.cache.tickets.detail({ id: t1.id })!.ticket.conflict).toBe(true);

    core.outbox.resolveConflict(items[0]!.id, 'mine');
    core.outbox.resolveConflict(items[1]!.id, 'theirs');
    await core.outbox.replay();
    expect(core.outbox.list()).toEqual([]);
    expect((await server.api('GET', `/api/v1/tickets/${t1.id}`, { token: f.agentA.accessToken })).body.priority).toBe('low');
    expect((await server.api('GET', `/api/v1/tickets/${t2.id}`, { token: f.agentA.accessToken })).body.priority).toBe('critical');
    expect(core.cache.tickets.detail({ id: t2.id })!.ticket).toMatchObject({ priority: 'critical', conflict: false, pending: false });
    core.close();
  });

  it('keeps a rejected write visible with the server reason; retry and discard', async () => {
    const core = await coreStack(server.url, agentA().email, agentA().password);
    const t = await f.createTicket(f.agentA.accessToken, { subject: 'Closed soon' });
    await patch(f.agentA.accessToken, t.id, t.version, { status: 'closed' });
    await core.sync.run();
    core.outbox.comment(t.id, 'too late', false, null);
    await core.outbox.replay();
    const [item] = core.outbox.list();
    expect(item).toMatchObject({ state: 'failed', kind: 'ticket.comment' });
    expect(item!.error).toMatch(/closed/i);
    expect(core.outbox.retry(item!.id).state).toBe('pending');
    await core.outbox.replay();
    expect(core.outbox.list()[0]!.state).toBe('failed');
    core.outbox.discard(item!.id);
    expect(core.outbox.list()).toEqual([]);
    expect(core.cache.tickets.detail({ id: t.id })!.comments).toEqual([]);
    core.close();
  });

  it('a revoked session stops the replay without losing unsynced work; signing in again sends it', async () => {
    const core = await coreStack(server.url, agentA().email, agentA().password);
    const t = await f.createTicket(f.agentA.accessToken, { subject: 'Revoked mid-shift' });
    await core.sync.run();
    const sessions = await core.api.request<{ id: string; current: boolean }[]>('GET', '/api/v1/me/sessions');
    await core.api.request('DELETE', `/api/v1/me/sessions/${sessions.data.find((x) => x.current)!.id}`);
    core.session.invalidateAccessToken();
    core.outbox.comment(t.id, 'written after the revocation', false, null);
    await core.outbox.replay();
    expect(core.session.current()).toMatchObject({ status: 'signed_out', reason: 'revoked' });
    expect(core.outbox.list()).toMatchObject([{ state: 'pending', kind: 'ticket.comment' }]);
    expect(core.cache.tickets.detail({ id: t.id })!.comments).toMatchObject([{ body: 'written after the revocation', pending: true }]);
    await core.session.login(agentA().email, agentA().password);
    await core.outbox.replay();
    expect(core.outbox.list()).toEqual([]);
    const comments = (await server.api<{ body: string }[]>('GET', `/api/v1/tickets/${t.id}/comments`, { token: f.agentA.accessToken })).body;
    expect(comments.map((c) => c.body)).toEqual(['written after the revocation']);
    core.close();
  });

  it('catches up through delta sync after the live feed was disconnected', async () => {
    const core = await coreStack(server.url, agentA().email, agentA().password);
    await core.sync.run();
    core.live.start();
    await waitFor(() => core.live.state === 'connected');
    // A live event while connected pulls the change in.
    const live = await f.createTicket(f.oncall.accessToken, { subject: 'Arrives live' });
    await waitFor(() => core.cache.tickets.row({ id: live.id }) !== undefined);

    core.live.stop();
    const missed: { id: string }[] = [];
    for (let i = 0; i < 3; i++) missed.push(await f.createTicket(f.oncall.accessToken, { subject: `Missed while offline ${i}` }));
    expect(missed.every((t) => core.cache.tickets.row({ id: t.id }) === undefined)).toBe(true);
    core.live.start();
    await waitFor(() => missed.every((t) => core.cache.tickets.row({ id: t.id }) !== undefined));
    core.close();
  });

  it('an on-call desktop follows alerts live: the server announces alert.changes, the core pulls each change from the feed', async () => {
    const core = await coreStack(server.url, `oncall${n}@example.com`, PASSWORD);
    await core.sync.run();
    const announced: { type: string; seq: number | null }[] = [];
    core.live.on('event', (e: { type: string; seq: number | null }) => announced.push(e));
    let catchUps = 0;
    core.live.on('catchUp', () => catchUps++);
    core.live.start();
    await waitFor(() => core.live.state === 'connected');
    await waitFor(() => catchUps === 1);
    const raised = (await server.api<{ id: string }>('POST', '/api/v1/alerts', { token: f.admin.accessToken, body: { name: 'Arrives live', severity: 'high', summary: 'web-1 is slow', labels: { host: 'web-1' } } })).body;
    await waitFor(() => core.cache.alert(raised.id)?.status === 'firing');
    expect(catchUps).toBeGreaterThan(1);
    await server.api('POST', `/api/v1/alerts/${raised.id}/ack`, { token: f.admin.accessToken });
    await waitFor(() => core.cache.alert(raised.id)?.status === 'acknowledged');
    // The announcement carries no alert and is not handed on as a domain event.
    expect(announced.filter((e) => e.type.startsWith('alert.'))).toEqual([]);
    core.close();
  });
});
