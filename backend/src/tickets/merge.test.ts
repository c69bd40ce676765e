import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test-support/harness';
import { startHelpdesk, type HelpdeskFixture } from '../../test-support/helpdesk-fixture';
import type { TestServer } from '../../test-support/harness';

describe.each(DATABASES)('merge, move and requester completion on %s', (kind) => {
  let server: TestServer;
  let f: HelpdeskFixture;
  beforeAll(async () => ({ server, f } = await startHelpdesk(kind)), 60_000);
  afterAll(() => server?.dispose());

  it('merging moves comments and history, closes the duplicate with a link; a closed ticket cannot be merged', async () => {
    const keep = await f.createTicket(f.agentA.accessToken, { subject: 'Email down for sales' });
    const dup = await f.createTicket(f.agentA.accessToken, { subject: 'Cannot send mail', requester: { name: 'Sam Sales', email: 'sam@example.com' } });
    await server.api('POST', `/api/v1/tickets/${dup.id}/comments`, { token: f.agentA.accessToken, body: { body: 'Seen on three laptops', visibility: 'internal' } });
    const merged = await server.api('POST', `/api/v1/tickets/${dup.id}/merge`, { token: f.agentA.accessToken, body: { intoId: keep.id } });
    expect(merged.status).toBe(200);
    expect(merged.body.id).toBe(keep.id);
    expect(merged.body.cc).toContain('sam@example.com');
    const closed = await server.api('GET', `/api/v1/tickets/${dup.id}`, { token: f.agentA.accessToken });
    expect(closed.body).toMatchObject({ status: 'closed', mergedIntoId: keep.id });
    const comments = await server.api('GET', `/api/v1/tickets/${keep.id}/comments`, { token: f.agentA.accessToken });
    expect(comments.body.map((c: { body: string }) => c.body)).toEqual(expect.arrayContaining(['Seen on three laptops', expect.stringContaining(`Merged from #${dup.number}`)]));
    const left = (await server.api('GET', `/api/v1/tickets/${dup.id}/comments`, { token: f.agentA.accessToken })).body;
    expect(left.map((c: { body: string }) => c.body)).toEqual([expect.stringContaining(`Merged into #${keep.number}`)]);
    const history = await server.api('GET', `/api/v1/tickets/${keep.id}/events`, { token: f.agentA.accessToken });
    expect(history.body.filter((e: { kind: string }) => e.kind === 'created')).toHaveLength(2);
    expect(history.body.some((e: { kind: string; field: string }) => e.kind === 'merged' && e.field === 'from')).toBe(true);
    const again = await server.api('POST', `/api/v1/tickets/${dup.id}/merge`, { token: f.agentA.accessToken, body: { intoId: keep.id } });
    expect(again.status).toBe(422);
    expect((await server.api('POST', `/api/v1/tickets/${keep.id}/merge`, { token: f.agentA.accessToken, body: { intoId: keep.id } })).status).toBe(422);
  });

  it("an agent cannot merge into a ticket of a queue they do not belong to", async () => {
    const mine = await f.createTicket(f.agentA.accessToken);
    const theirs = await f.createTicket(f.admin.accessToken, { queueId: f.q2.id });
    const res = await server.api('POST', `/api/v1/tickets/${mine.id}/merge`, { token: f.agentA.accessToken, body: { intoId: theirs.id } });
    expect(res.status).toBe(422);
    expect(res.body.details).toMatchObject({ field: 'intoId' });
  });

  it('requesters complete from the tickets the caller may see', async () => {
    await f.createTicket(f.admin.accessToken, { queueId: f.q2.id, requester: { name: 'Hidden Person', email: 'hidden@example.com' } });
    const res = await server.api('GET', '/api/v1/requesters?q=rita', { token: f.agentA.accessToken });
    expect(res.status).toBe(200);
    expect(res.body[0]).toMatchObject({ name: 'Rita Requester', email: 'rita@example.com' });
    expect((await server.api('GET', '/api/v1/requesters?q=hidden', { token: f.agentA.accessToken })).body).toEqual([]);
    expect((await server.api('GET', '/api/v1/requesters?q=hidden', { token: f.agentB.accessToken })).body).toHaveLength(1);
  });
});
