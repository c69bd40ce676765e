import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteDef } from '../../../shared/api/route';
import { ROUTES } from '../../../shared/api/routes';
import { SCOPE_MIN_ROLE, hasRole } from '../../../shared/domain/roles';
import { ADMIN, DATABASES, createUserAndLogin, startTestServer, type TestServer } from '../../test-support/harness';

const DAY = 86_400_000;

describe('token scopes and route roles', () => {
  it('every scope a route accepts is one whose carrier role passes that route', () => {
    const scoped = Object.entries(ROUTES as Record<string, RouteDef>).flatMap(([name, def]) => (def.access !== 'public' && def.access.scope ? [{ name, ...def.access, scope: def.access.scope }] : []));
    expect(scoped.length).toBeGreaterThan(0);
    for (const r of scoped) expect(r.role === 'any' || hasRole(SCOPE_MIN_ROLE[r.scope], r.role), r.name).toBe(true);
  });
});

describe.each(DATABASES)('API token lifetimes and their creators on %s', (kind) => {
  let server: TestServer;
  let admin: { id: string; accessToken: string };
  let second: { id: string; accessToken: string };
  const create = (token: string, body: unknown) => server.api('POST', '/api/v1/api-tokens', { token, body });
  const listed = async (id: string) => ((await server.api('GET', '/api/v1/api-tokens', { token: admin.accessToken })).body as { id: string }[]).find((t) => t.id === id) as Record<string, unknown>;

  beforeAll(async () => {
    server = await startTestServer(kind);
    admin = await createUserAndLogin(server, { ...ADMIN, role: 'admin' });
    second = await createUserAndLogin(server, { email: 'second@example.com', password: 'deputy-keeper-pass-1', role: 'admin' });
  });
  afterAll(() => server.dispose());

  it('expires in 90 days unless told otherwise, and audits the expiry', async () => {
    const res = await create(admin.accessToken, { name: 'default', scopes: ['read'] });
    expect(res.status).toBe(201);
    expect(res.body.expiresAt - res.body.createdAt).toBe(90 * DAY);
    const week = await create(admin.accessToken, { name: 'week', scopes: ['read'], expiresInDays: 7 });
    expect(week.body.expiresAt - week.body.createdAt).toBe(7 * DAY);
    const audit = await server.api('GET', `/api/v1/audit?action=api_token.created&targetId=${res.body.id}`, { token: admin.accessToken });
    expect(audit.body.items[0].details).toMatchObject({ name: 'default', scopes: ['read'], expiresAt: res.body.expiresAt, neverExpires: false });
  });

  it('never expires only when asked to, and says so in the audit entry', async () => {
    const res = await create(admin.accessToken, { name: 'forever', scopes: ['read'], expiresInDays: 'never' });
    expect(res.status).toBe(201);
    expect(res.body.expiresAt).toBeNull();
    const audit = await server.api('GET', `/api/v1/audit?action=api_token.created&targetId=${res.body.id}`, { token: admin.accessToken });
    expect(audit.body.items[0].details).toMatchObject({ expiresAt: null, neverExpires: true });
    expect((await create(admin.accessToken, { name: 'bad', scopes: ['read'], expiresInDays: 0 })).status).toBe(400);
  });

  it('refuses a token that asks for more than its creator role carries', async () => {
    const agent = await createUserAndLogin(server, { email: 'agent@example.com', password: 'field-worker-pass-1', role: 'agent' });
    const actor = { id: agent.id, email: 'agent@example.com', ip: null };
    await expect(server.services.apiTokens.create(actor, { name: 'ingest', scopes: ['alerts:ingest'] })).rejects.toMatchObject({ code: 'forbidden' });
    // Narrower than the role is fine.
    await expect(server.services.apiTokens.create(actor, { name: 'reader', scopes: ['read'] })).resolves.toMatchObject({ scopes: ['read'] });
  });

  it('revokes the tokens a demoted creator no longer carries, and keeps the ones still within the new role', async () => {
    const ingest = await create(second.accessToken, { name: 'ingest', scopes: ['alerts:ingest'] });
    const reader = await create(second.accessToken, { name: 'reader', scopes: ['read'] });

    await server.api('PATCH', `/api/v1/users/${second.id}`, { token: admin.accessToken, body: { role: 'oncall' } });
    expect((await listed(ingest.body.id)).revokedAt).toBeNull();

    await server.api('PATCH', `/api/v1/users/${second.id}`, { token: admin.accessToken, body: { role: 'agent' } });
    expect(await listed(ingest.body.id)).toMatchObject({ revokedReason: 'creator_demoted' });
    expect((await listed(ingest.body.id)).revokedAt).not.toBeNull();
    expect(await listed(reader.body.id)).toMatchObject({ revokedAt: null, revokedReason: null });
    const audit = await server.api('GET', `/api/v1/audit?action=api_token.revoked&targetId=${ingest.body.id}`, { token: admin.accessToken });
    expect(audit.body.items[0].details).toMatchObject({ reason: 'creator_demoted' });
  });

  it('revokes every token of a creator who is disabled', async () => {
    await server.api('PATCH', `/api/v1/users/${second.id}`, { token: admin.accessToken, body: { role: 'admin' } });
    const login = await server.api('POST', '/api/v1/auth/login', { body: { email: 'second@example.com', password: 'deputy-keeper-pass-1' } });
    const token = await create(login.body.accessToken, { name: 'to-disable', scopes: ['read'] });
    await server.api('PATCH', `/api/v1/users/${second.id}`, { token: admin.accessToken, body: { disabled: true } });
    expect(await listed(token.body.id)).toMatchObject({ revokedReason: 'creator_disabled' });
    // Enabling the account again does not bring its tokens back.
    await server.api('PATCH', `/api/v1/users/${second.id}`, { token: admin.accessToken, body: { disabled: false } });
    expect((await server.api('GET', '/api/v1/sync/changes', { token: token.body.token })).status).toBe(401);
  });

  it('shows when a token was last used', async () => {
    const res = await create(admin.accessToken, { name: 'used', scopes: ['read'] });
    expect((await listed(res.body.id)).lastUsedAt).toBeNull();
    expect((await server.api('GET', '/api/v1/sync/changes', { token: res.body.token })).status).toBe(200);
    expect((await listed(res.body.id)).lastUsedAt).toEqual(expect.any(Number));
  });
});
