import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, DATABASES, createUserAndLogin, startTestServer, type TestServer } from '../../test-support/harness';

describe.each(DATABASES)('users, roles and audit on %s', (kind) => {
  let server: TestServer;
  let admin: { id: string; accessToken: string };
  let agent: { id: string; accessToken: string };
  let oncall: { id: string; accessToken: string };

  beforeAll(async () => {
    server = await startTestServer(kind);
    admin = await createUserAndLogin(server, { ...ADMIN, role: 'admin' });
    agent = await createUserAndLogin(server, { email: 'agent@example.com', password: 'field-worker-pass-1', role: 'agent' });
    oncall = await createUserAndLogin(server, { email: 'oncall@example.com', password: 'pager-duty-pass-1', role: 'oncall' });
  });
  afterAll(() => server.dispose());

  it('denies admin routes to agents and oncall with 403', async () => {
    for (const who of [agent, oncall]) {
      expect((await server.api('GET', '/api/v1/users', { token: who.accessToken })).status).toBe(403);
      expect((await server.api('GET', '/api/v1/audit', { token: who.accessToken })).status).toBe(403);
      const create = await server.api('POST', '/api/v1/users', { token: who.accessToken, body: { email: 'x@example.com', name: 'X', role: 'admin', password: 'escalate-password-1' } });
      expect(create.status).toBe(403);
    }
  });

  it('answers 401 without a token and with a forged one', async () => {
    expect((await server.api('GET', '/api/v1/me')).status).toBe(401);
    const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwicm9sZSI6ImFkbWluIiwic2lkIjoieCIsInB1ciI6ImFjY2VzcyJ9.c2lnbmF0dXJl';
    const res = await server.api('GET', '/api/v1/me', { token: forged });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'unauthorized' });
    expect((await server.api('GET', '/api/v1/me', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
  });

  it('lets an admin create, change role and disable a user, auditing each change', async () => {
    const created = await server.api('POST', '/api/v1/users', { token: admin.accessToken, body: { email: 'New@Example.com', name: 'New', role: 'agent', password: 'new-user-password' } });
    expect(created.status).toBe(201);
    expect(created.body.email).toBe('new@example.com');
    const login = await server.api('POST', '/api/v1/auth/login', { body: { email: 'new@example.com', password: 'new-user-password' } });
    expect(login.status).toBe(200);

    const promoted = await server.api('PATCH', `/api/v1/users/${created.body.id}`, { token: admin.accessToken, body: { role: 'oncall' } });
    expect(promoted.body.role).toBe('oncall');
    const disabled = await server.api('PATCH', `/api/v1/users/${created.body.id}`, { token: admin.accessToken, body: { disabled: true } });
    expect(disabled.body.disabled).toBe(true);
    // Disabling ends the user's sessions at once.
    expect((await server.api('GET', '/api/v1/me', { token: login.body.accessToken })).status).toBe(401);
    expect((await server.api('POST', '/api/v1/auth/login', { body: { email: 'new@example.com', password: 'new-user-password' } })).status).toBe(401);

    const audit = await server.api('GET', `/api/v1/audit?targetId=${created.body.id}`, { token: admin.accessToken });
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.created', 'user.updated']));
    const userChanges = audit.body.items.filter((e: { action: string }) => e.action.startsWith('user.'));
    expect(userChanges).toHaveLength(3);
    expect(userChanges.every((e: { actorId: string; ip: string }) => e.actorId === admin.id && e.ip)).toBe(true);
    // The refused sign-in of the disabled account is audited too.
    expect(actions).toContain('auth.login_failed');
  });

  it('refuses to demote the last admin', async () => {
    const res = await server.api('PATCH', `/api/v1/users/${admin.id}`, { token: admin.accessToken, body: { role: 'agent' } });
    expect(res.status).toBe(422);
  });

  it('pages the audit log with a cursor and rejects a garbage cursor', async () => {
    const first = await server.api('GET', '/api/v1/audit?limit=2', { token: admin.accessToken });
    expect(first.body.items).toHaveLength(2);
    const second = await server.api('GET', `/api/v1/audit?limit=2&cursor=${first.body.nextCursor}`, { token: admin.accessToken });
    expect(second.body.items[0].id).toBeLessThan(first.body.items[1].id);
    expect((await server.api('GET', '/api/v1/audit?cursor=bm90LWEtY3Vyc29y', { token: admin.accessToken })).status).toBe(400);
  });

  it('lists and revokes own sessions; another user cannot revoke them', async () => {
    const second = await server.api('POST', '/api/v1/auth/login', { body: { email: 'agent@example.com', password: 'field-worker-pass-1' } });
    const sessions = await server.api('GET', '/api/v1/me/sessions', { token: agent.accessToken });
    expect(sessions.body.length).toBeGreaterThanOrEqual(2);
    const other = sessions.body.find((s: { current: boolean }) => !s.current);
    expect((await server.api('DELETE', `/api/v1/me/sessions/${other.id}`, { token: oncall.accessToken })).status).toBe(404);
    expect((await server.api('DELETE', `/api/v1/me/sessions/${other.id}`, { token: agent.accessToken })).status).toBe(204);
    const after = await server.api('GET', '/api/v1/me/sessions', { token: agent.accessToken });
    expect(after.body.some((s: { id: string }) => s.id === other.id)).toBe(false);
    expect(second.status).toBe(200);
  });

  it('issues scoped API tokens that work only where their scope is accepted, and audits their use', async () => {
    const created = await server.api('POST', '/api/v1/api-tokens', { token: admin.accessToken, body: { name: 'alertmanager', scopes: ['alerts:ingest'] } });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^odk_/);
    // Admin routes refuse API tokens even when the creator is an admin.
    expect((await server.api('GET', '/api/v1/users', { token: created.body.token })).status).toBe(403);
    const audit = await server.api('GET', '/api/v1/audit?action=api_token.used', { token: admin.accessToken });
    expect(audit.body.items.length).toBe(1);
    const list = await server.api('GET', '/api/v1/api-tokens', { token: admin.accessToken });
    expect(JSON.stringify(list.body)).not.toContain(created.body.token.split('.')[1]);
    expect((await server.api('DELETE', `/api/v1/api-tokens/${created.body.id}`, { token: admin.accessToken })).status).toBe(204);
    const revoked = await server.api('GET', '/api/v1/users', { token: created.body.token });
    expect(revoked.status).toBe(401);
  });
});
