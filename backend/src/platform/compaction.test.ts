import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, createUserAndLogin, startTestServer, type TestServer } from '../../test-support/harness';

type Login = { id: string; accessToken: string };

describe.each(DATABASES)('stale idempotency claims and bounded tables (%s)', (kind) => {
  let server: TestServer;
  let admin: Login;

  beforeAll(async () => {
    server = await startTestServer(kind, { env: { JOB_WORKERS: '0', OPS_SCHEDULERS: 'false' } });
    admin = await createUserAndLogin(server, { email: 'admin@example.com', password: 'correct-horse-battery-1', role: 'admin' });
  });
  afterAll(() => server.dispose());

  const db = () => server.services.database.db;
  const queue = (key: string) => server.api('POST', '/api/v1/queues', { token: admin.accessToken, headers: { 'idempotency-key': key }, body: { name: `Desk ${key}`, memberIds: [admin.id] } });

  it('a claim left by a backend that died mid-request is released after the timeout; a fresh one still answers 409', async () => {
    expect((await queue('died-mid-request-1')).status).toBe(201);
    // As if the backend had died after claiming the key: no answer stored, the claim is old.
    await db().updateTable('idempotency_keys').set({ status: null, response: null, created_at: Date.now() - 10 * 60_000 }).where('key', '=', 'died-mid-request-1').execute();
    await db().deleteFrom('queues').where('name', '=', 'Desk died-mid-request-1').execute();
    const again = await queue('died-mid-request-1');
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect((await queue('died-mid-request-1')).headers.get('idempotent-replay')).toBe('true');

    expect((await queue('in-flight-key-2')).status).toBe(201);
    await db().updateTable('idempotency_keys').set({ status: null, response: null, created_at: Date.now() }).where('key', '=', 'in-flight-key-2').execute();
    expect((await queue('in-flight-key-2')).status).toBe(409);
  });

  it('compaction keeps idempotency_keys, changes, sessions and login_failures bounded; an old cursor is told to resync', async () => {
    const old = Date.now() - 60 * 86_400_000;
    const change = (entity_id: string, op: string, at: number) => ({ entity: 'ticket', entity_id, op, audience: 'all', queue_id: null, prev_queue_id: null, user_id: null, data: op === 'upsert' ? JSON.stringify({ id: entity_id }) : null, actor_id: null, at });
    await db().insertInto('changes').values([change('superseded', 'upsert', old), change('superseded', 'upsert', old + 1), change('gone', 'delete', old), change('latest-only', 'upsert', old)]).execute();
    const seqs = await db().selectFrom('changes').select(['seq', 'entity_id', 'op']).where('at', '<=', old + 1).orderBy('seq').execute();
    await db().insertInto('idempotency_keys').values({ key: 'ancient-key-1', principal: 'p', method: 'POST', path: '/x', request_hash: 'h', status: 201, response: '{}', created_at: old }).execute();
    await db().insertInto('sessions').values([
      { id: 'expired-session', user_id: admin.id, created_at: old, last_used_at: old, expires_at: old + 1000, revoked_at: null, revoked_reason: null, user_agent: null, ip: null },
      { id: 'revoked-session', user_id: admin.id, created_at: old, last_used_at: old, expires_at: Date.now() + 86_400_000, revoked_at: old, revoked_reason: 'logout', user_agent: null, ip: null },
    ]).execute();
    await db().insertInto('login_failures').values([{ key: 'old@example.com', count: 3, window_start: old, locked_until: null }, { key: 'now@example.com', count: 1, window_start: Date.now(), locked_until: null }]).execute();
    const sessionsBefore = await db().selectFrom('sessions').select('id').execute();

    const r = await server.services.compaction.run();
    expect(r).toMatchObject({ changes: 2, idempotencyKeys: 1, sessions: 2, loginFailures: 1 });

    const left = (await db().selectFrom('changes').select(['seq', 'entity_id']).where('at', '<=', old + 1).orderBy('seq').execute()).map((c) => c.entity_id);
    expect(left).toEqual(['superseded', 'latest-only']); // the last state of each record stays
    expect(await db().selectFrom('idempotency_keys').select('key').where('key', '=', 'ancient-key-1').execute()).toEqual([]);
    expect((await db().selectFrom('sessions').select('id').execute()).length).toBe(sessionsBefore.length - 2);
    expect((await db().selectFrom('login_failures').select('key').execute()).map((k) => k.key)).toEqual(['now@example.com']);

    // A client whose cursor is below what compaction removed must start over; one from 0 gets the kept state.
    const since = seqs[0]!.seq;
    const page = await server.api('GET', `/api/v1/sync/changes?since=${since}`, { token: admin.accessToken });
    expect(page.status).toBe(200);
    expect(page.body.resync).toBe(true);
    const fresh = await server.api('GET', '/api/v1/sync/changes?since=0&limit=5000', { token: admin.accessToken });
    expect(fresh.body.resync).toBeUndefined();
    expect(fresh.body.changes.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining(['superseded', 'latest-only']));
    const head = fresh.body.nextCursor;
    expect((await server.api('GET', `/api/v1/sync/changes?since=${head}`, { token: admin.accessToken })).body.resync).toBeUndefined();
  });
});
