import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchResponse } from '../../../shared/api/sync';
import type { Ticket } from '../../../shared/api/tickets';
import { DATABASES, type TestServer } from '../../test-support/harness';
import { startHelpdesk, type HelpdeskFixture } from '../../test-support/helpdesk-fixture';

describe.each(DATABASES)('the outbox batch on %s', (kind) => {
  let server: TestServer;
  let f: HelpdeskFixture;
  beforeAll(async () => void ({ server, f } = await startHelpdesk(kind)));
  afterAll(() => server.dispose());

  const batch = (token: string, requests: unknown[]) => server.api<BatchResponse>('POST', '/api/v1/sync/batch', { token, body: { requests } });

  it('runs each write as its own request, in order, with per-item results; sent again it applies nothing twice', async () => {
    const mine = await f.createTicket(f.agentA.accessToken);
    const theirs = await f.createTicket(f.agentB.accessToken, { queueId: f.q2.id });
    const requests = [
      { route: 'tickets.create', body: { queueId: f.q1.id, subject: 'Batch-created: VPN drops', description: 'every 10 min', requester: { name: 'Vic', email: 'vic@example.com' } }, idempotencyKey: randomUUID() },
      { route: 'tickets.comments.create', params: { id: mine.id }, body: { body: 'batch note', visibility: 'internal' }, idempotencyKey: randomUUID() },
      { route: 'tickets.update', params: { id: mine.id }, body: { priority: 'high', version: mine.version }, idempotencyKey: randomUUID() },
      // Another queue's ticket: not found for this agent, as when sent alone; the batch goes on.
      { route: 'tickets.comments.create', params: { id: theirs.id }, body: { body: 'not mine', visibility: 'internal' }, idempotencyKey: randomUUID() },
      // An agent may not acknowledge alerts: the route's own role check answers.
      { route: 'alerts.ack', params: { id: randomUUID() }, body: {}, idempotencyKey: randomUUID() },
      { route: 'tickets.update', params: { id: mine.id }, body: { status: 'open', version: mine.version + 1 }, idempotencyKey: randomUUID() },
    ];
    const first = await batch(f.agentA.accessToken, requests);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.results.map((r) => r.status)).toEqual([201, 201, 200, 404, 403, 200]);
    const created = first.body.results[0]!.body as Ticket;
    expect(created.subject).toBe('Batch-created: VPN drops');
    expect((first.body.results[5]!.body as Ticket).status).toBe('open');

    // The answer was lost; the desktop sends the same batch again.
    const again = await batch(f.agentA.accessToken, requests);
    expect(again.body.results.map((r) => r.status)).toEqual([201, 201, 200, 404, 403, 200]);
    expect((again.body.results[0]!.body as Ticket).id).toBe(created.id);
    const list = await server.api<{ items: Ticket[] }>('GET', '/api/v1/tickets?q=Batch-created&limit=50', { token: f.agentA.accessToken });
    expect(list.body.items.filter((t) => t.subject === 'Batch-created: VPN drops')).toHaveLength(1);
    const comments = await server.api<{ body: string }[]>('GET', `/api/v1/tickets/${mine.id}/comments`, { token: f.agentA.accessToken });
    expect(comments.body.filter((c) => c.body === 'batch note')).toHaveLength(1);
    expect((await server.api<Ticket>('GET', `/api/v1/tickets/${mine.id}`, { token: f.agentA.accessToken })).body).toMatchObject({ priority: 'high', status: 'open', version: mine.version + 2 });
  });

  it('is refused whole during maintenance (nothing applied), and validates the batch itself', async () => {
    const t = await f.createTicket(f.agentA.accessToken);
    await server.services.maintenance.enter('restore');
    try {
      const res = await batch(f.agentA.accessToken, [
        { route: 'tickets.comments.create', params: { id: t.id }, body: { body: 'during maintenance', visibility: 'internal' }, idempotencyKey: randomUUID() },
        { route: 'tickets.comments.create', params: { id: t.id }, body: { body: 'after it', visibility: 'internal' }, idempotencyKey: randomUUID() },
      ]);
      expect(res.status).toBe(503);
    } finally {
      await server.services.maintenance.leave();
    }
    expect((await server.api<unknown[]>('GET', `/api/v1/tickets/${t.id}/comments`, { token: f.agentA.accessToken })).body).toEqual([]);
    const one = { route: 'tickets.comments.create', params: { id: t.id }, body: { body: 'x', visibility: 'internal' } };
    expect((await batch(f.agentA.accessToken, [])).status).toBe(400);
    expect((await batch(f.agentA.accessToken, Array.from({ length: 51 }, () => ({ ...one, idempotencyKey: randomUUID() })))).status).toBe(400);
    expect((await batch(f.agentA.accessToken, [{ ...one, route: 'users.create', idempotencyKey: randomUUID() }])).status).toBe(400);
    expect((await batch(f.agentA.accessToken, [{ ...one }])).status).toBe(400);
    expect((await server.api('POST', '/api/v1/sync/batch', { body: { requests: [{ ...one, idempotencyKey: randomUUID() }] } })).status).toBe(401);
  });

  it('answers each write as its route answers it sent alone: errors word for word, successes in the same shape', async () => {
    const t = await f.createTicket(f.agentA.accessToken);
    const other = await f.createTicket(f.agentA.accessToken);
    const writes = [
      { route: 'tickets.comments.create', params: { id: t.id }, body: { body: '', visibility: 'internal' } },
      { route: 'tickets.comments.create', params: { id: t.id }, body: { body: 'x', visibility: 'sideways' } },
      { route: 'tickets.comments.create', params: { id: 'not-an-id' }, body: { body: 'x', visibility: 'internal' } },
      { route: 'tickets.update', params: { id: t.id }, body: { priority: 'high' } },
      { route: 'tickets.update', params: { id: t.id }, body: { version: 99, priority: 'high' } },
      { route: 'tickets.create', body: { subject: 'no queue' } },
      { route: 'alerts.resolve', params: { id: randomUUID() }, body: { reason: 'done' } },
      { route: 'tickets.comments.create', params: { id: t.id }, body: { body: 'alone or batched', visibility: 'public' } },
    ] as const;
    const alone: { status: number; body: Record<string, unknown> }[] = [];
    for (const w of writes) {
      const path = w.route === 'tickets.create' ? '/api/v1/tickets' : w.route === 'tickets.update' ? `/api/v1/tickets/${w.params.id}` : w.route === 'alerts.resolve' ? `/api/v1/alerts/${w.params.id}/resolve` : `/api/v1/tickets/${w.params.id}/comments`;
      const method = w.route === 'tickets.update' ? 'PATCH' : 'POST';
      alone.push(await server.api(method, path, { token: f.agentA.accessToken, body: w.body, headers: { 'idempotency-key': randomUUID() } }));
    }
    const batched = await batch(f.agentA.accessToken, writes.map((w) => ({ ...w, idempotencyKey: randomUUID() })));
    expect(batched.status).toBe(200);
    batched.body.results.forEach((r, i) => {
      expect(r.status, JSON.stringify(writes[i])).toBe(alone[i]!.status);
      // A version conflict carries the ticket as it is now (the public reply alone moved it on): compared without it.
      if (r.status === 409) expect({ ...(r.body as object), details: null }).toEqual({ ...alone[i]!.body, details: null });
      else if (r.status >= 400) expect(r.body).toEqual(alone[i]!.body);
      else expect(Object.keys(r.body as object).sort()).toEqual(Object.keys(alone[i]!.body as object).sort());
    });
    expect(batched.body.results.map((r) => r.status)).toContain(400);

    // A key the store refuses, and a key used before for another write, answer as alone too.
    const used = randomUUID();
    expect((await batch(f.agentA.accessToken, [{ route: 'tickets.comments.create', params: { id: other.id }, body: { body: 'first', visibility: 'internal' }, idempotencyKey: used }])).body.results[0]!.status).toBe(201);
    const reused = await batch(f.agentA.accessToken, [
      { route: 'tickets.comments.create', params: { id: other.id }, body: { body: 'second', visibility: 'internal' }, idempotencyKey: used },
      { route: 'tickets.comments.create', params: { id: other.id }, body: { body: 'third', visibility: 'internal' }, idempotencyKey: 'has a space in it' },
    ]);
    expect(reused.body.results.map((r) => r.status)).toEqual([422, 400]);
    expect((await server.api<unknown[]>('GET', `/api/v1/tickets/${other.id}/comments`, { token: f.agentA.accessToken })).body).toHaveLength(1);
  });
});
