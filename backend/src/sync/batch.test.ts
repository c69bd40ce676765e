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
});
