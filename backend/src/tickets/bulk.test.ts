import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulkResult, SavedView, Ticket } from '../../../shared/api/tickets';
import { DATABASES, type TestServer } from '../../test-support/harness';
import { startHelpdesk, type HelpdeskFixture } from '../../test-support/helpdesk-fixture';

describe.each(DATABASES)('bulk actions and shared views on %s', (kind) => {
  let server: TestServer;
  let f: HelpdeskFixture;
  beforeAll(async () => ({ server, f } = await startHelpdesk(kind)));
  afterAll(() => server?.dispose());

  const api = <T = any>(method: string, path: string, token: string, body?: unknown) => server.api<T>(method as 'GET', `/api/v1${path}`, { token, body });

  it('applies to every ticket matching a filter on the server (past one page), as the caller sees them, audited per ticket', async () => {
    const tag = `printer-${kind}`;
    for (let i = 0; i < 230; i++) await f.createTicket(f.agentA.accessToken, { subject: `Toner ${i}`, tags: [tag] });
    // Agent B's queue has a matching ticket agent A must not touch.
    const other = await f.createTicket(f.agentB.accessToken, { queueId: f.q2.id, tags: [tag] });
    const preview = await api<BulkResult>('POST', '/tickets/bulk', f.agentA.accessToken, { filter: { tag }, action: { assign: f.agentA.id }, preview: true });
    expect(preview.body).toEqual({ matched: 230, preview: true, results: [] });
    expect((await api<Ticket>('GET', `/tickets/${other.id}`, f.agentB.accessToken)).body.assigneeId).toBeNull();

    // One ticket is closed first: the status change fails for it alone, with the reason.
    const page = (await api('GET', `/tickets?tag=${tag}&limit=1`, f.agentA.accessToken)).body.items as Ticket[];
    const closed = page[0]!;
    expect((await api('PATCH', `/tickets/${closed.id}`, f.agentA.accessToken, { status: 'closed', version: closed.version })).status).toBe(200);
    const res = await api<BulkResult>('POST', '/tickets/bulk', f.agentA.accessToken, { filter: { tag }, action: { status: 'pending' } });
    expect(res.status).toBe(200);
    expect(res.body.matched).toBe(230);
    const failed = res.body.results.filter((r) => !r.ok);
    expect(failed).toEqual([expect.objectContaining({ id: closed.id, number: closed.number, status: 422, error: 'unprocessable', message: expect.stringMatching(/closed is final/) })]);
    expect(res.body.results.filter((r) => r.ok)).toHaveLength(229);
    expect((await api<Ticket>('GET', `/tickets/${other.id}`, f.agentB.accessToken)).body.status).toBe('new');
    const audit = await api('GET', '/audit?action=ticket.bulk_changed&limit=500', f.admin.accessToken);
    const entries = (audit.body.items as { targetId: string; details: { bulkId: string; changed: string[] } }[]).filter((e) => e.details.changed.includes('status'));
    expect(entries).toHaveLength(229);
    expect(new Set(entries.map((e) => e.details.bulkId)).size).toBe(1);
    const history = await api('GET', `/tickets/${res.body.results.find((r) => r.ok)!.id}/events`, f.agentA.accessToken);
    expect(history.body.at(-1)).toMatchObject({ kind: 'changed', field: 'status', to: 'pending', actorId: f.agentA.id });
  });

  it('answers 409 for a listed ticket changed since the version the caller saw, and 404 for one it cannot see', async () => {
    const a = await f.createTicket(f.agentA.accessToken);
    const b = await f.createTicket(f.agentA.accessToken);
    const hidden = await f.createTicket(f.agentB.accessToken, { queueId: f.q2.id });
    expect((await api('PATCH', `/tickets/${b.id}`, f.agentA.accessToken, { priority: 'high', version: b.version })).status).toBe(200);
    const res = await api<BulkResult>('POST', '/tickets/bulk', f.agentA.accessToken, { ids: [a.id, b.id, hidden.id], versions: { [a.id]: a.version, [b.id]: b.version }, action: { priority: 'low' } });
    const by = Object.fromEntries(res.body.results.map((r) => [r.id, r]));
    expect(by[a.id]).toMatchObject({ ok: true, status: 200 });
    expect(by[b.id]).toMatchObject({ ok: false, status: 409, error: 'version_conflict' });
    expect(by[hidden.id]).toMatchObject({ ok: false, status: 404 });
    expect((await api('POST', '/tickets/bulk', f.agentA.accessToken, { ids: [a.id], filter: {}, action: { priority: 'low' } })).status).toBe(400);
  });

  it('shares a view with the team: others see it and use it, only the owner changes it, un-sharing withdraws it', async () => {
    const created = await api<SavedView>('POST', '/views', f.agentA.accessToken, { name: 'Urgent printers', filter: { priority: ['critical'] }, sort: 'due', shared: true });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ shared: true, ownerId: f.agentA.id });
    const seen = (await api<SavedView[]>('GET', '/views', f.agentB.accessToken)).body.find((v) => v.id === created.body.id);
    expect(seen).toMatchObject({ name: 'Urgent printers', shared: true });
    expect((await api('GET', `/tickets?view=${created.body.id}`, f.agentB.accessToken)).status).toBe(200);
    const edit = await api('PATCH', `/views/${created.body.id}`, f.agentB.accessToken, { name: 'Mine now' });
    expect(edit.status).toBe(403);
    expect(edit.body.message).toMatch(/Only .* can change the shared view/);
    expect((await api('DELETE', `/views/${created.body.id}`, f.agentB.accessToken)).status).toBe(403);
    // Bulk by a shared view works for the other agent too, within their own queues.
    expect((await api<BulkResult>('POST', '/tickets/bulk', f.agentB.accessToken, { view: created.body.id, action: { addTag: 'x' }, preview: true })).body.preview).toBe(true);

    const feedB = async () => (await api('GET', '/sync/changes?since=0&limit=5000', f.agentB.accessToken)).body.changes.filter((c: { entity: string; id: string }) => c.entity === 'saved_view' && c.id === created.body.id);
    expect((await feedB()).at(-1)).toMatchObject({ op: 'upsert' });
    expect((await api('PATCH', `/views/${created.body.id}`, f.agentA.accessToken, { shared: false })).status).toBe(200);
    expect((await api<SavedView[]>('GET', '/views', f.agentB.accessToken)).body.some((v) => v.id === created.body.id)).toBe(false);
    expect((await feedB()).at(-1)).toMatchObject({ op: 'delete' });
    // A client-chosen id (a view made offline) is kept.
    const id = '7b0d3c62-8a43-4a54-9a56-0c2b7f1f2a11';
    expect((await api<SavedView>('POST', '/views', f.agentA.accessToken, { id, name: 'Offline one', filter: {} })).body.id).toBe(id);
    expect((await api('POST', '/views', f.agentB.accessToken, { id, name: 'Clash', filter: {} })).status).toBe(409);
  });
});
