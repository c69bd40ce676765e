import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, type TestServer } from '../../test-support/harness';
import { startHelpdesk, type HelpdeskFixture } from '../../test-support/helpdesk-fixture';

describe.each(DATABASES)('tickets on %s', (kind) => {
  let server: TestServer;
  let f: HelpdeskFixture;

  beforeAll(async () => void ({ server, f } = await startHelpdesk(kind)));
  afterAll(() => server.dispose());

  it('creates a ticket with a number, SLA deadlines from the policy and a history entry', async () => {
    const t = await f.createTicket(f.agentA.accessToken, { priority: 'critical', tags: ['Printer', 'floor-3'] });
    expect(t).toMatchObject({ status: 'new', priority: 'critical', version: 1, tags: ['printer', 'floor-3'], queueId: f.q1.id });
    expect(t.number).toBeGreaterThan(0);
    expect(t.sla.firstResponseDueAt! - t.createdAt).toBe(15 * 60_000);
    expect(t.sla.resolutionDueAt! - t.createdAt).toBe(4 * 3_600_000);
    const second = await f.createTicket(f.agentA.accessToken);
    expect(second.number).toBe(t.number + 1);
    const events = await server.api('GET', `/api/v1/tickets/${t.id}/events`, { token: f.agentA.accessToken });
    expect(events.body.map((e: { kind: string }) => e.kind)).toEqual(['created']);
  });

  it('allows only legal transitions and names the allowed ones in the 422', async () => {
    const t = await f.createTicket(f.agentA.accessToken);
    const patch = (version: number, status: string) => server.api('PATCH', `/api/v1/tickets/${t.id}`, { token: f.agentA.accessToken, body: { status, version } });
    const resolved = await patch(1, 'resolved');
    expect(resolved.status).toBe(200);
    // Resolving stamps resolvedAt (it was lost when the SLA fields were written back).
    expect(resolved.body.resolvedAt).toEqual(expect.any(Number));
    const reopen = await patch(2, 'open');
    expect(reopen.status).toBe(200);
    expect(reopen.body.resolvedAt).toBeNull();
    expect((await patch(3, 'closed')).status).toBe(200);
    const bad = await patch(4, 'open');
    expect(bad.status).toBe(422);
    expect(bad.body.message).toMatch(/closed is final/);
    const t2 = await f.createTicket(f.agentA.accessToken);
    await patch.call(null, 1, 'open');
    const r = await server.api('PATCH', `/api/v1/tickets/${t2.id}`, { token: f.agentA.accessToken, body: { status: 'resolved', version: 1 } });
    expect(r.status).toBe(200);
    const illegal = await server.api('PATCH', `/api/v1/tickets/${t2.id}`, { token: f.agentA.accessToken, body: { status: 'pending', version: 2 } });
    expect(illegal.status).toBe(422);
    expect(illegal.body.message).toMatch(/allowed: open, closed/);
    expect(illegal.body.details.allowed).toEqual(['open', 'closed']);
    const history = await server.api('GET', `/api/v1/tickets/${t.id}/events`, { token: f.agentA.accessToken });
    expect(history.body.filter((e: { field: string }) => e.field === 'status').map((e: { from: string; to: string }) => `${e.from}>${e.to}`)).toEqual([
      'new>resolved',
      'resolved>open',
      'open>closed',
    ]);
  });

  it('answers a stale version with 409 and the current ticket, and changes nothing', async () => {
    const t = await f.createTicket(f.agentA.accessToken);
    const first = await server.api('PATCH', `/api/v1/tickets/${t.id}`, { token: f.agentA.accessToken, headers: { 'if-match': '"1"' }, body: { priority: 'high' } });
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"2"');
    const stale = await server.api('PATCH', `/api/v1/tickets/${t.id}`, { token: f.oncall.accessToken, headers: { 'if-match': '"1"' }, body: { subject: 'Overwritten' } });
    expect(stale.status).toBe(409);
    expect(stale.body.details.current).toMatchObject({ id: t.id, version: 2, priority: 'high', subject: t.subject });
    const now = await server.api('GET', `/api/v1/tickets/${t.id}`, { token: f.agentA.accessToken });
    expect(now.body).toMatchObject({ version: 2, subject: t.subject });
    const noVersion = await server.api('PATCH', `/api/v1/tickets/${t.id}`, { token: f.agentA.accessToken, body: { subject: 'x' } });
    expect(noVersion.status).toBe(400);
  });

  it('replays an idempotent comment without adding a second one', async () => {
    const t = await f.createTicket(f.agentA.accessToken);
    const send = () =>
      server.api('POST', `/api/v1/tickets/${t.id}/comments`, { token: f.agentA.accessToken, headers: { 'idempotency-key': `comment-${t.id}` }, body: { body: 'Replaced the toner', visibility: 'public' } });
    const a = await send();
    const b = await send();
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.headers.get('idempotent-replay')).toBe('true');
    expect(b.body.id).toBe(a.body.id);
    const list = await server.api('GET', `/api/v1/tickets/${t.id}/comments`, { token: f.agentA.accessToken });
    expect(list.body).toHaveLength(1);
    const patch = () => server.api('PATCH', `/api/v1/tickets/${t.id}`, { token: f.agentA.accessToken, headers: { 'idempotency-key': `patch-${t.id}` }, body: { status: 'open', version: 1 } });
    expect((await patch()).status).toBe(200);
    const again = await patch();
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(2);
  });

  it('keeps agents to their queues: another queue’s ticket is 404, lists exclude it', async () => {
    const theirs = await f.createTicket(f.agentB.accessToken, { queueId: f.q2.id, subject: 'Replica lag on db-2' });
    expect((await server.api('GET', `/api/v1/tickets/${theirs.id}`, { token: f.agentA.accessToken })).status).toBe(404);
    expect((await server.api('PATCH', `/api/v1/tickets/${theirs.id}`, { token: f.agentA.accessToken, body: { version: 1, priority: 'low' } })).status).toBe(404);
    expect((await server.api('POST', `/api/v1/tickets/${theirs.id}/comments`, { token: f.agentA.accessToken, body: { body: 'hi' } })).status).toBe(404);
    expect((await server.api('GET', `/api/v1/tickets/${theirs.id}`, { token: f.oncall.accessToken })).status).toBe(200);
    const listA = await server.api('GET', '/api/v1/tickets?limit=200', { token: f.agentA.accessToken });
    expect(listA.body.items.every((t: { queueId: string }) => t.queueId === f.q1.id)).toBe(true);
    const other = await server.api('GET', `/api/v1/tickets?queue=${f.q2.id}`, { token: f.agentA.accessToken });
    expect(other.body.items).toEqual([]);
    const create = await server.api('POST', '/api/v1/tickets', { token: f.agentA.accessToken, body: { queueId: f.q2.id, subject: 's', requester: { name: 'R', email: 'r@example.com' } } });
    expect(create.status).toBe(403);
    const queues = await server.api('GET', '/api/v1/queues', { token: f.agentA.accessToken });
    expect(queues.body.map((q: { id: string }) => q.id)).toEqual([f.q1.id]);
  });

  it('rejects unknown queue, unknown assignee and an assignee outside the queue with 422', async () => {
    const base = { subject: 'x', requester: { name: 'R', email: 'r@example.com' } };
    const unknownQueue = await server.api('POST', '/api/v1/tickets', { token: f.admin.accessToken, body: { ...base, queueId: 'nope' } });
    expect(unknownQueue.status).toBe(422);
    expect(unknownQueue.body.message).toMatch(/Unknown queue/);
    const unknownUser = await server.api('POST', '/api/v1/tickets', { token: f.admin.accessToken, body: { ...base, queueId: f.q1.id, assigneeId: 'ghost' } });
    expect(unknownUser.status).toBe(422);
    const outside = await server.api('POST', '/api/v1/tickets', { token: f.admin.accessToken, body: { ...base, queueId: f.q1.id, assigneeId: f.agentB.id } });
    expect(outside.status).toBe(422);
    expect(outside.body.message).toMatch(/not a member/);
    const t = await f.createTicket(f.agentA.accessToken);
    const patch = await server.api('PATCH', `/api/v1/tickets/${t.id}`, { token: f.agentA.accessToken, body: { version: 1, assigneeId: f.agentB.id } });
    expect(patch.status).toBe(422);
    const ok = await server.api('PATCH', `/api/v1/tickets/${t.id}`, { token: f.agentA.accessToken, body: { version: 1, assigneeId: f.oncall.id } });
    expect(ok.status).toBe(200);
  });

  it('answers over-long fields with 400 naming the limit, and garbage cursors with 400', async () => {
    const long = await server.api('POST', '/api/v1/tickets', { token: f.agentA.accessToken, body: { queueId: f.q1.id, subject: 'x'.repeat(201), requester: { name: 'R', email: 'r@example.com' } } });
    expect(long.status).toBe(400);
    expect(long.body.message).toMatch(/200/);
    const t = await f.createTicket(f.agentA.accessToken);
    const comment = await server.api('POST', `/api/v1/tickets/${t.id}/comments`, { token: f.agentA.accessToken, body: { body: 'y'.repeat(20_001) } });
    expect(comment.status).toBe(400);
    expect(comment.body.message).toMatch(/20000/);
    for (const cursor of ['%%%', 'bm90LWpzb24', Buffer.from('[1,2]').toString('base64url'), Buffer.from('["updated","x",1]').toString('base64url')]) {
      const res = await server.api('GET', `/api/v1/tickets?cursor=${encodeURIComponent(cursor)}`, { token: f.agentA.accessToken });
      expect(res.status).toBe(400);
    }
    for (const since of ['abc', '-1', '1e999', '1.5']) {
      const res = await server.api('GET', `/api/v1/sync/changes?since=${since}`, { token: f.agentA.accessToken });
      expect(res.status).toBe(400);
    }
  });

  it('filters, sorts and pages with stable cursors while tickets are being updated', async () => {
    const { q1 } = f;
    const made = [];
    for (let i = 0; i < 7; i++) made.push(await f.createTicket(f.agentA.accessToken, { subject: `Paging ticket ${i}`, tags: ['paging'], priority: i % 2 ? 'high' : 'low' }));
    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const url: string = `/api/v1/tickets?queue=${q1.id}&tag=paging&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await server.api('GET', url, { token: f.agentA.accessToken });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((t: { id: string }) => t.id));
      cursor = page.body.nextCursor;
      // A concurrent write to a ticket already seen moves it to the top; it must not come back.
      if (round++ === 0) await server.api('PATCH', `/api/v1/tickets/${page.body.items[0].id}`, { token: f.oncall.accessToken, body: { version: 1, subject: 'bumped' } });
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(made.map((t) => t.id).sort());

    const high = await server.api('GET', `/api/v1/tickets?tag=paging&priority=high&sort=created`, { token: f.agentA.accessToken });
    expect(high.body.items).toHaveLength(3);
    const byPriority = await server.api('GET', `/api/v1/tickets?tag=paging&sort=priority&limit=4`, { token: f.agentA.accessToken });
    expect(byPriority.body.items.slice(0, 3).every((t: { priority: string }) => t.priority === 'high')).toBe(true);
    await server.api('PATCH', `/api/v1/tickets/${made[0]!.id}`, { token: f.agentA.accessToken, body: { version: 1, assigneeId: f.agentA.id } });
    const mine = await server.api('GET', `/api/v1/tickets?tag=paging&assignee=me`, { token: f.agentA.accessToken });
    expect(mine.body.items.map((t: { id: string }) => t.id)).toEqual([made[0]!.id]);
    const unassigned = await server.api('GET', `/api/v1/tickets?tag=paging&assignee=unassigned`, { token: f.agentA.accessToken });
    expect(unassigned.body.items).toHaveLength(6);
    const myOpen = await server.api('GET', `/api/v1/tickets?view=my-open&tag=paging`, { token: f.agentA.accessToken });
    expect(myOpen.body.items.map((t: { id: string }) => t.id)).toEqual([made[0]!.id]);
    const due = await server.api('GET', `/api/v1/tickets?tag=paging&sort=due&limit=2`, { token: f.agentA.accessToken });
    expect(due.body.items[0].priority).toBe('high');
  });

  it('searches subject, description and comments; hostile text is just text', async () => {
    const t = await f.createTicket(f.agentA.accessToken, { subject: 'VPN tunnel flapping', description: 'The office gateway drops every hour' });
    await server.api('POST', `/api/v1/tickets/${t.id}/comments`, { token: f.agentA.accessToken, body: { body: 'Rekeyed the zebracorn certificate', visibility: 'internal' } });
    const hit = async (q: string) => (await server.api('GET', `/api/v1/tickets?q=${encodeURIComponent(q)}`, { token: f.agentA.accessToken })).body.items.map((x: { id: string }) => x.id);
    expect(await hit('vpn')).toContain(t.id);
    expect(await hit('gateway hour')).toContain(t.id);
    expect(await hit('zebracorn')).toContain(t.id);
    expect(await hit('VPN unrelatedword')).not.toContain(t.id);
    for (const q of ['"', '" OR 1=1 --', "'; drop table tickets; --", 'vpn*', 'NEAR(vpn gateway)', 'subject:vpn', '%', '_', '(((', 'a AND OR NOT', '^vpn', '\\']) {
      const res = await server.api('GET', `/api/v1/tickets?q=${encodeURIComponent(q)}`, { token: f.agentA.accessToken });
      expect(res.status, q).toBe(200);
    }
    expect((await server.api('GET', `/api/v1/tickets/${t.id}`, { token: f.agentA.accessToken })).status).toBe(200);
    const other = await f.createTicket(f.agentB.accessToken, { queueId: f.q2.id, subject: 'VPN for the DBA team' });
    expect(await hit('vpn')).not.toContain(other.id);
  });

  it('runs bulk actions per ticket with a result for each', async () => {
    const a = await f.createTicket(f.agentA.accessToken, { subject: 'bulk a' });
    const b = await f.createTicket(f.agentA.accessToken, { subject: 'bulk b' });
    await server.api('PATCH', `/api/v1/tickets/${b.id}`, { token: f.agentA.accessToken, body: { version: 1, status: 'closed' } });
    const foreign = await f.createTicket(f.agentB.accessToken, { queueId: f.q2.id });
    const res = await server.api('POST', '/api/v1/tickets/bulk', { token: f.agentA.accessToken, body: { ids: [a.id, b.id, foreign.id], action: { status: 'resolved' } } });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { ok: boolean; status: number }) => [r.ok, r.status])).toEqual([
      [true, 200],
      [false, 422],
      [false, 404],
    ]);
    const tag = await server.api('POST', '/api/v1/tickets/bulk', { token: f.agentA.accessToken, body: { ids: [a.id], action: { addTag: 'escalated' } } });
    expect(tag.body.results[0].ticket.tags).toContain('escalated');
    const tooMany = await server.api('POST', '/api/v1/tickets/bulk', { token: f.agentA.accessToken, body: { ids: Array.from({ length: 501 }, (_, i) => `id${i}`), action: { priority: 'low' } } });
    expect(tooMany.status).toBe(400);
  });

  it.runIf(kind === 'sqlite')('answers listings queued behind busy reader threads with each caller\'s own view, writes made before asking included', async () => {
    const own = await f.createTicket(f.agentB.accessToken, { queueId: f.q2.id, subject: 'Replica lag on db-2' });
    // Both reader threads busy for a while: the listings below queue up, identical ones share a run.
    const slow = sql`with recursive c(x) as (select 1 union all select x + 1 from c where x < 3000000) select count(*) as n from c`;
    const busy = [1, 2, 3, 4].map(() => slow.execute(server.services.database.reader));
    const list = (token: string) => server.api<{ items: { id: string; queueId: string }[] }>('GET', '/api/v1/tickets?limit=100', { token });
    const a1 = list(f.agentA.accessToken);
    const b = list(f.agentB.accessToken);
    const created = await f.createTicket(f.agentA.accessToken, { subject: 'Asked for after this was written' });
    const a2 = list(f.agentA.accessToken);
    const [ra1, rb, ra2] = await Promise.all([a1, b, a2]);
    await Promise.all(busy);
    expect(ra1.body.items.every((t) => t.queueId === f.q1.id)).toBe(true);
    expect(ra2.body.items.map((t) => t.id)).toContain(created.id);
    expect(rb.body.items.map((t) => t.id)).toContain(own.id);
    expect(rb.body.items.every((t) => t.queueId === f.q2.id)).toBe(true);
  });

  it('keeps saved views per user next to the built-ins', async () => {
    const created = await server.api('POST', '/api/v1/views', { token: f.agentA.accessToken, body: { name: 'Critical', filter: { priority: ['critical'] } } });
    expect(created.status).toBe(201);
    const listA = await server.api('GET', '/api/v1/views', { token: f.agentA.accessToken });
    expect(listA.body.map((v: { name: string }) => v.name)).toEqual(['My open', 'Unassigned', 'Breaching SLA', 'Critical']);
    const listB = await server.api('GET', '/api/v1/views', { token: f.agentB.accessToken });
    expect(listB.body).toHaveLength(3);
    expect((await server.api('GET', `/api/v1/views/${created.body.id}`, { token: f.agentB.accessToken })).status).toBe(404);
    const viewed = await server.api('GET', `/api/v1/tickets?view=${created.body.id}`, { token: f.agentA.accessToken });
    expect(viewed.body.items.every((t: { priority: string }) => t.priority === 'critical')).toBe(true);
    expect((await server.api('DELETE', '/api/v1/views/my-open', { token: f.agentA.accessToken })).status).toBe(422);
  });
});
