import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncChange, SyncPage } from '../../../shared/api/sync';
import type { Ticket } from '../../../shared/api/tickets';
import { DATABASES, createUserAndLogin, type TestServer } from '../../test-support/harness';
import { startHelpdesk, type HelpdeskFixture } from '../../test-support/helpdesk-fixture';

async function pullAll(server: TestServer, token: string, since: number, extra = ''): Promise<{ changes: SyncChange[]; cursor: number }> {
  const changes: SyncChange[] = [];
  let cursor = since;
  for (;;) {
    const res = await server.api<SyncPage>('GET', `/api/v1/sync/changes?since=${cursor}&limit=500${extra}`, { token });
    expect(res.status).toBe(200);
    changes.push(...res.body.changes);
    cursor = res.body.nextCursor;
    if (res.body.done) return { changes, cursor };
  }
}

describe.each(DATABASES)('delta sync on %s', (kind) => {
  let server: TestServer;
  let f: HelpdeskFixture;

  beforeAll(async () => void ({ server, f } = await startHelpdesk(kind)));
  afterAll(() => server.dispose());

  it('a reader paging during concurrent writes sees every change exactly once and ends at the database state', async () => {
    const { cursor: start } = await pullAll(server, f.agentA.accessToken, 0);
    let writing = true;
    const writer = async (token: string, w: number) => {
      for (let i = 0; i < 12; i++) {
        const queueId = i % 3 === 2 ? f.q2.id : f.q1.id;
        const t = await f.createTicket(token, { subject: `writer ${w} ticket ${i}`, queueId });
        await server.api('POST', `/api/v1/tickets/${t.id}/comments`, { token, body: { body: `comment ${w}/${i}`, visibility: i % 2 ? 'public' : 'internal' } });
        // Moves across queues exercise tombstones; conflicts between writers are retried.
        for (let attempt = 0; attempt < 5; attempt++) {
          const cur = await server.api<Ticket>('GET', `/api/v1/tickets/${t.id}`, { token });
          const body = i % 4 === 0 ? { queueId: cur.body.queueId === f.q1.id ? f.q2.id : f.q1.id } : { priority: 'high', status: 'open' };
          const res = await server.api('PATCH', `/api/v1/tickets/${t.id}`, { token, body: { ...body, version: cur.body.version } });
          if (res.status !== 409) break;
        }
      }
    };
    const seen: SyncChange[] = [];
    const reader = (async () => {
      let cursor = start;
      for (;;) {
        const stillWriting = writing;
        const res = await server.api<SyncPage>('GET', `/api/v1/sync/changes?since=${cursor}&limit=7`, { token: f.agentA.accessToken });
        expect(res.status).toBe(200);
        seen.push(...res.body.changes);
        cursor = res.body.nextCursor;
        if (res.body.done && !stillWriting) return cursor;
      }
    })();
    await Promise.all([writer(f.admin.accessToken, 1), writer(f.oncall.accessToken, 2), writer(f.admin.accessToken, 3)]);
    writing = false;
    await reader;

    const seqs = seen.map((c) => c.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    // Exactly the changes a quiet full read returns: nothing skipped while writers raced the reader.
    const quiet = await pullAll(server, f.agentA.accessToken, start);
    expect(seqs).toEqual(quiet.changes.map((c) => c.seq));

    // Applying the feed gives the tickets the database holds in the reader's queue.
    const { changes: all } = await pullAll(server, f.agentA.accessToken, 0);
    const local = new Map<string, Ticket>();
    for (const c of all) {
      if (c.entity !== 'ticket') continue;
      if (c.op === 'delete') local.delete(c.id);
      else local.set(c.id, c.data as Ticket);
    }
    const rows = await server.services.database.db.selectFrom('tickets').select(['id', 'version', 'queue_id', 'updated_at', 'subject', 'status']).where('queue_id', '=', f.q1.id).execute();
    expect(local.size).toBe(rows.length);
    for (const r of rows) {
      expect(local.get(r.id)).toMatchObject({ version: r.version, queueId: r.queue_id, updatedAt: Number(r.updated_at), subject: r.subject, status: r.status });
    }
  });

  it('sends a tombstone when a ticket moves to a queue the caller cannot see, with its comments', async () => {
    const t = await f.createTicket(f.agentA.accessToken, { subject: 'Escalate me' });
    const comment = await server.api('POST', `/api/v1/tickets/${t.id}/comments`, { token: f.agentA.accessToken, body: { body: 'needs a DBA' } });
    const { cursor: a0 } = await pullAll(server, f.agentA.accessToken, 0);
    const { cursor: b0 } = await pullAll(server, f.agentB.accessToken, 0);
    const moved = await server.api('PATCH', `/api/v1/tickets/${t.id}`, { token: f.agentA.accessToken, body: { version: 1, queueId: f.q2.id } });
    expect(moved.status).toBe(200);
    const a = (await pullAll(server, f.agentA.accessToken, a0)).changes;
    expect(a).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ entity: 'ticket', id: t.id, op: 'delete', reason: 'left_visibility', data: null }),
        expect.objectContaining({ entity: 'comment', id: comment.body.id, op: 'delete', reason: 'left_visibility' }),
      ]),
    );
    const b = (await pullAll(server, f.agentB.accessToken, b0)).changes;
    expect(b).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ entity: 'ticket', id: t.id, op: 'upsert' }),
        expect.objectContaining({ entity: 'comment', id: comment.body.id, op: 'upsert' }),
      ]),
    );
    expect((await server.api('GET', `/api/v1/tickets/${t.id}`, { token: f.agentA.accessToken })).status).toBe(404);
  });

  it('follows queue membership: leaving a queue tombstones its tickets, joining one is backfilled', async () => {
    const agent = await createUserAndLogin(server, { email: 'mover@example.com', password: 'a-long-test-password-1', role: 'agent' });
    await server.api('POST', `/api/v1/queues/${f.q1.id}/members`, { token: f.admin.accessToken, body: { userId: agent.id } });
    const { changes: before, cursor } = await pullAll(server, agent.accessToken, 0);
    const q1Tickets = new Set(before.filter((c) => c.entity === 'ticket' && c.op === 'upsert').map((c) => c.id));
    expect(q1Tickets.size).toBeGreaterThan(0);

    const removed = await server.api('DELETE', `/api/v1/queues/${f.q1.id}/members/${agent.id}`, { token: f.admin.accessToken });
    expect(removed.status).toBe(200);
    const added = await server.api('POST', `/api/v1/queues/${f.q2.id}/members`, { token: f.admin.accessToken, body: { userId: agent.id } });
    expect(added.body.memberIds).toContain(agent.id);
    const { changes: after } = await pullAll(server, agent.accessToken, cursor);
    const tombstoned = new Set(after.filter((c) => c.entity === 'ticket' && c.op === 'delete' && c.reason === 'left_visibility').map((c) => c.id));
    const currentQ1 = await server.services.database.db.selectFrom('tickets').select('id').where('queue_id', '=', f.q1.id).execute();
    for (const r of currentQ1) expect(tombstoned.has(r.id)).toBe(true);
    expect(after).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ entity: 'queue', id: f.q1.id, op: 'delete', reason: 'left_visibility' }),
        expect.objectContaining({ entity: 'queue', id: f.q2.id, op: 'upsert' }),
      ]),
    );

    const { changes: backfill } = await pullAll(server, agent.accessToken, 0, `&queue=${f.q2.id}`);
    const local = new Set<string>();
    for (const c of backfill.filter((x) => x.entity === 'ticket')) {
      if (c.op === 'delete') local.delete(c.id);
      else local.add(c.id);
    }
    const currentQ2 = await server.services.database.db.selectFrom('tickets').select('id').where('queue_id', '=', f.q2.id).execute();
    expect([...local].sort()).toEqual(currentQ2.map((r) => r.id).sort());
    const foreign = await server.api('GET', `/api/v1/sync/changes?since=0&queue=${f.q1.id}`, { token: agent.accessToken });
    expect(foreign.status).toBe(404);
  });

  it('a queue backfill is built from the queue’s current rows: no pre-move snapshot of a ticket now elsewhere', async () => {
    const t = await f.createTicket(f.admin.accessToken, { subject: 'Salary review for Bob', queueId: f.q2.id });
    const c = await server.api('POST', `/api/v1/tickets/${t.id}/comments`, { token: f.admin.accessToken, body: { body: 'Bob earns too little', visibility: 'internal' } });
    expect(c.status).toBe(201);
    const stays = await f.createTicket(f.admin.accessToken, { subject: 'Stays in the queue', queueId: f.q2.id });
    expect((await server.api('PATCH', `/api/v1/tickets/${t.id}`, { token: f.admin.accessToken, body: { version: 1, queueId: f.q1.id } })).status).toBe(200);
    const joiner = await createUserAndLogin(server, { email: `joiner-${kind}@example.com`, password: 'a-long-test-password-1', role: 'agent' });
    await server.api('POST', `/api/v1/queues/${f.q2.id}/members`, { token: f.admin.accessToken, body: { userId: joiner.id } });
    const { changes } = await pullAll(server, joiner.accessToken, 0, `&queue=${f.q2.id}`);
    const text = JSON.stringify(changes);
    expect(text).not.toContain('Salary review');
    expect(text).not.toContain('Bob earns');
    expect(changes.some((x) => x.id === t.id || x.id === c.body.id)).toBe(false);
    const current = await server.services.database.db.selectFrom('tickets').select(['id', 'version']).where('queue_id', '=', f.q2.id).execute();
    const tickets = changes.filter((x) => x.entity === 'ticket');
    expect(tickets.map((x) => x.id).sort()).toEqual(current.map((r) => r.id).sort());
    // One record per ticket, as it is now.
    for (const r of current) expect(tickets.find((x) => x.id === r.id)?.data).toMatchObject({ version: r.version, queueId: f.q2.id });
    expect(tickets.find((x) => x.id === stays.id)).toBeDefined();
  });

  it('sends users’ public fields to everyone, never secrets', async () => {
    const { cursor } = await pullAll(server, f.agentA.accessToken, 0);
    const created = await server.api('POST', '/api/v1/users', { token: f.admin.accessToken, body: { email: 'newbie@example.com', name: 'New Bie', role: 'agent', password: 'a-long-test-password-9' } });
    expect(created.status).toBe(201);
    const { changes } = await pullAll(server, f.agentA.accessToken, cursor);
    const user = changes.find((c) => c.entity === 'user' && c.id === created.body.id);
    expect(user?.data).toEqual({ id: created.body.id, email: 'newbie@example.com', name: 'New Bie', role: 'agent', disabled: false });
  });

  it('serves the page `read` builds, written by the database: every user, every cursor, page sizes, a queue backfill', async () => {
    const users = await server.services.database.db.selectFrom('users').select(['id', 'email', 'role']).execute();
    const { changes } = server.services;
    const head = await changes.head();
    expect(head).toBeGreaterThan(20);
    for (const u of users) {
      const principal = { kind: 'user' as const, userId: u.id, email: u.email, role: u.role as 'agent', sessionId: null, tokenId: null, scopes: null };
      const queueIds = u.role === 'agent' ? await server.services.queueAccess.memberships(u.id) : [];
      for (const [since, limit] of [[0, 5000], [0, 7], [Math.floor(head / 2), 3], [head - 1, 1], [head, 10], [head + 5, 10]] as const) {
        expect(JSON.parse(await changes.readJson(principal, queueIds, since, limit))).toEqual(await changes.read(principal, queueIds, since, limit));
      }
      for (const q of queueIds) expect(JSON.parse(await changes.readJson(principal, queueIds, 0, 4, { onlyQueue: q }))).toEqual(await changes.read(principal, queueIds, 0, 4, { onlyQueue: q }));
    }
    // Tombstones of both kinds are among what was compared.
    const all = await changes.read({ kind: 'user', userId: users.find((u) => u.email === 'mover@example.com')!.id, email: '', role: 'agent', sessionId: null, tokenId: null, scopes: null }, [f.q2.id], 0, 5000);
    expect(all.changes.some((c) => c.reason === 'left_visibility')).toBe(true);
  });
});
