import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserAndLogin, startTestServer, type TestServer } from '../../../backend/test-support/harness';
import { ApiClient } from '../api/api-client';
import { CoreError } from '../errors';
import { systemClock } from '../ports';
import { secretAccount } from '../secrets/open-secret-store';
import { fileSecrets, memoryPersistence } from '../test-support/fixtures';
import { Session } from './session';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('sqlite');
});
afterAll(async () => {
  await server?.dispose();
});

function newSession(profileId = 'p1') {
  const api = new ApiClient(server.url, { backoffMs: 20 });
  const secrets = fileSecrets();
  const persistence = memoryPersistence();
  const session = new Session(profileId, api, secrets, persistence, systemClock);
  return { api, secrets, persistence, session };
}

describe('Session against the real backend', () => {
  it('signs in, keeps the refresh token only in the secret store, and calls the API with the access token', async () => {
    await createUserAndLogin(server, { email: 'agent1@example.com', password: 'agent-password-123', role: 'agent' });
    const { api, secrets, session } = newSession();
    const state = await session.login('agent1@example.com', 'agent-password-123');
    expect(state).toMatchObject({ status: 'signed_in', user: { email: 'agent1@example.com', role: 'agent' } });
    expect(await secrets.get(secretAccount('p1', 'agent1@example.com'))).toMatch(/.{20,}/);
    const me = await api.request<{ email: string }>('GET', '/api/v1/me');
    expect(me.data.email).toBe('agent1@example.com');
  });

  it('refreshes once on 401 for many concurrent calls (single flight with a rotating refresh token)', async () => {
    await createUserAndLogin(server, { email: 'agent2@example.com', password: 'agent-password-123', role: 'agent' });
    const { api, secrets, session } = newSession();
    await session.login('agent2@example.com', 'agent-password-123');
    const before = await secrets.get(secretAccount('p1', 'agent2@example.com'));
    session.invalidateAccessToken();
    const results = await Promise.all(Array.from({ length: 6 }, () => api.request<{ email: string }>('GET', '/api/v1/me')));
    expect(results.every((r) => r.data.email === 'agent2@example.com')).toBe(true);
    const after = await secrets.get(secretAccount('p1', 'agent2@example.com'));
    expect(after).not.toBe(before);
    // A second refresh with the rotated token still works: the family was not revoked by a double refresh.
    session.invalidateAccessToken();
    expect((await api.request<{ email: string }>('GET', '/api/v1/me')).data.email).toBe('agent2@example.com');
    expect(session.current().status).toBe('signed_in');
  });

  it('a session revoked on the server signs the user out with reason revoked and clears the keychain entry', async () => {
    await createUserAndLogin(server, { email: 'agent3@example.com', password: 'agent-password-123', role: 'agent' });
    const { api, secrets, session } = newSession();
    await session.login('agent3@example.com', 'agent-password-123');
    const sessions = await api.request<{ id: string; current: boolean }[]>('GET', '/api/v1/me/sessions');
    const mine = sessions.data.find((s) => s.current)!;
    await api.request('DELETE', `/api/v1/me/sessions/${mine.id}`);
    session.invalidateAccessToken();
    const err = await api.request('GET', '/api/v1/me').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CoreError);
    expect((err as CoreError).code).toBe('session_revoked');
    expect(session.current()).toMatchObject({ status: 'signed_out', reason: 'revoked' });
    expect(await secrets.get(secretAccount('p1', 'agent3@example.com'))).toBeNull();
  });

  it('asks for the MFA step and completes it with a TOTP code', async () => {
    const u = await createUserAndLogin(server, { email: 'oncall@example.com', password: 'pager-duty-secret-9', role: 'oncall' });
    const enrol = await server.api<{ secret: string }>('POST', '/api/v1/me/mfa/enrol', { token: u.accessToken, body: { currentPassword: 'pager-duty-secret-9' } });
    const confirm = await server.api('POST', '/api/v1/me/mfa/confirm', { token: u.accessToken, body: { code: generateSync({ secret: enrol.body.secret }) } });
    expect(confirm.status).toBe(200);
    const { session } = newSession();
    const first = await session.login('oncall@example.com', 'pager-duty-secret-9');
    expect(first).toMatchObject({ status: 'mfa_required', email: 'oncall@example.com' });
    // The next time step's code: the confirmation already used this step's.
    const next = generateSync({ secret: enrol.body.secret, epoch: Math.floor((Date.now() + 30_000) / 1000) });
    const done = await session.completeMfa(next);
    expect(done).toMatchObject({ status: 'signed_in', user: { email: 'oncall@example.com', mfaEnabled: true } });
  });

  it('wrong credentials are a typed error; logout clears the keychain', async () => {
    await createUserAndLogin(server, { email: 'agent4@example.com', password: 'agent-password-123', role: 'agent' });
    const { secrets, session } = newSession();
    const bad = await session.login('agent4@example.com', 'wrong-password-xx').catch((e: unknown) => e);
    expect((bad as CoreError).code).toBe('invalid_credentials');
    await session.login('agent4@example.com', 'agent-password-123');
    const out = await session.logout();
    expect(out).toMatchObject({ status: 'signed_out', reason: 'logout' });
    expect(await secrets.get(secretAccount('p1', 'agent4@example.com'))).toBeNull();
  });

  it('resumes from the keychain, and stays signed in offline', async () => {
    await createUserAndLogin(server, { email: 'agent5@example.com', password: 'agent-password-123', role: 'agent' });
    const a = newSession('p5');
    await a.session.login('agent5@example.com', 'agent-password-123');
    const resumed = new Session('p5', new ApiClient(server.url), a.secrets, a.persistence, systemClock);
    expect(await resumed.resume()).toMatchObject({ status: 'signed_in', user: { email: 'agent5@example.com' } });
    const offline = new Session('p5', new ApiClient('http://127.0.0.1:9', { maxRetries: 0 }), a.secrets, a.persistence, systemClock);
    expect(await offline.resume()).toMatchObject({ status: 'signed_in' });
  });

  it('tells the server when tokens sit in the fallback file, so the audit log shows the fallback in use', async () => {
    const admin = await createUserAndLogin(server, { email: 'admin6@example.com', password: 'admin-password-123', role: 'admin' });
    await createUserAndLogin(server, { email: 'agent6@example.com', password: 'agent-password-123', role: 'agent' });
    const { session } = newSession('p6');
    await session.login('agent6@example.com', 'agent-password-123');
    const audit = await server.api('GET', '/api/v1/audit?action=desktop.secret_store_fallback', { token: admin.accessToken });
    const mine = audit.body.items.filter((e: { actorEmail: string }) => e.actorEmail === 'agent6@example.com');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ targetType: 'user', details: { kind: 'encrypted-file', osProtected: false } });
  });
});
