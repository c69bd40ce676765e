import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, DATABASES, createUserAndLogin, startTestServer, type TestServer } from '../../test-support/harness';

describe.each(DATABASES)('auth on %s', (kind) => {
  let server: TestServer;
  let admin: { id: string; accessToken: string; refreshToken: string };

  beforeAll(async () => {
    server = await startTestServer(kind, { env: { LOGIN_MAX_FAILURES: '3' } });
    admin = await createUserAndLogin(server, { ...ADMIN, role: 'admin' });
  });
  afterAll(() => server.dispose());

  it('logs in and answers /me with the user', async () => {
    const me = await server.api('GET', '/api/v1/me', { token: admin.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: ADMIN.email, role: 'admin', mfaEnabled: false });
    expect(me.headers.get('x-request-id')).toBeTruthy();
  });

  it('answers a wrong password and an unknown email the same way', async () => {
    const wrong = await server.api('POST', '/api/v1/auth/login', { body: { email: ADMIN.email, password: 'nope-nope-nope' } });
    const unknown = await server.api('POST', '/api/v1/auth/login', { body: { email: 'ghost@example.com', password: 'nope-nope-nope' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('locks an account after repeated failures, and locks unknown emails the same way', async () => {
    const user = { email: 'lock@example.com', password: 'a-long-enough-password', role: 'agent' as const };
    await createUserAndLogin(server, user);
    for (let i = 0; i < 3; i++) await server.api('POST', '/api/v1/auth/login', { body: { email: user.email, password: 'wrong-password-x' } });
    const locked = await server.api('POST', '/api/v1/auth/login', { body: user });
    expect(locked.status).toBe(423);
    expect(locked.body.error).toBe('locked');
    for (let i = 0; i < 3; i++) await server.api('POST', '/api/v1/auth/login', { body: { email: 'nobody@example.com', password: 'wrong-password-x' } });
    const ghost = await server.api('POST', '/api/v1/auth/login', { body: { email: 'nobody@example.com', password: 'wrong-password-x' } });
    expect(ghost.status).toBe(423);
    const audit = await server.api('GET', '/api/v1/audit?action=auth.lockout', { token: admin.accessToken });
    expect(audit.body.items.length).toBeGreaterThanOrEqual(2);
  });

  it('a sign-in forgets the failures before it and audits its session (one transaction)', async () => {
    const user = { email: 'forget@example.com', password: 'a-long-enough-password', role: 'agent' as const };
    await createUserAndLogin(server, user);
    for (let i = 0; i < 2; i++) await server.api('POST', '/api/v1/auth/login', { body: { email: user.email, password: 'wrong-password-x' } });
    const ok = await server.api('POST', '/api/v1/auth/login', { body: user });
    expect(ok.status).toBe(200);
    const sessions = await server.api('GET', '/api/v1/me/sessions', { token: ok.body.accessToken });
    const current = sessions.body.find((x: { current: boolean }) => x.current);
    const audit = await server.api('GET', `/api/v1/audit?action=auth.login&targetId=${current.id}`, { token: admin.accessToken });
    expect(audit.body.items).toHaveLength(1);
    // Two failures were forgotten: three more (LOGIN_MAX_FAILURES) are needed to lock the key again.
    for (let i = 0; i < 2; i++) expect((await server.api('POST', '/api/v1/auth/login', { body: { email: user.email, password: 'wrong-password-x' } })).status).toBe(401);
    expect((await server.api('POST', '/api/v1/auth/login', { body: user })).status).toBe(200);
  });

  it('ends a session at its next request when revoked here, and within the 1 s check window when revoked by another process', async () => {
    const user = { email: 'window@example.com', password: 'a-long-enough-password', role: 'agent' as const };
    const first = await createUserAndLogin(server, user);
    expect((await server.api('GET', '/api/v1/me', { token: first.accessToken })).status).toBe(200);
    // Revoked through this server: announced, so the remembered check is dropped at once.
    expect((await server.api('POST', '/api/v1/auth/logout', { token: first.accessToken, body: {} })).status).toBe(204);
    expect((await server.api('GET', '/api/v1/me', { token: first.accessToken })).body.error).toBe('token_revoked');
    // Revoked in the database by someone else (another instance, the CLI): refused once the window passes.
    const second = (await server.api('POST', '/api/v1/auth/login', { body: user })).body as { accessToken: string };
    expect((await server.api('GET', '/api/v1/me', { token: second.accessToken })).status).toBe(200);
    await server.services.database.db.updateTable('sessions').set({ revoked_at: Date.now(), revoked_reason: 'elsewhere' }).where('user_id', '=', first.id).execute();
    await new Promise((r) => setTimeout(r, 1100));
    expect((await server.api('GET', '/api/v1/me', { token: second.accessToken })).body.error).toBe('token_revoked');
  });

  it('rotates refresh tokens, and reusing a rotated token revokes the family', async () => {
    const user = await createUserAndLogin(server, { email: 'rot@example.com', password: 'rotation-password-1', role: 'agent' });
    const first = await server.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(user.refreshToken);
    // The holder refreshes again, so the first token's replacement is used: presenting it now is theft.
    const second = await server.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: first.body.refreshToken } });
    expect(second.status).toBe(200);
    const reuse = await server.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(reuse.status).toBe(401);
    expect(reuse.body.error).toBe('token_revoked');
    // The thief's reuse also kills the legitimate holder's newer token and access token.
    const next = await server.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: second.body.refreshToken } });
    expect(next.status).toBe(401);
    const me = await server.api('GET', '/api/v1/me', { token: second.body.accessToken });
    expect(me.status).toBe(401);
    const audit = await server.api('GET', '/api/v1/audit?action=auth.refresh_reuse_detected', { token: admin.accessToken });
    expect(audit.body.items.some((e: { actorId: string }) => e.actorId === user.id)).toBe(true);
  });

  it('logout revokes the session', async () => {
    const user = await createUserAndLogin(server, { email: 'out@example.com', password: 'logout-password-1', role: 'agent' });
    const out = await server.api('POST', '/api/v1/auth/logout', { token: user.accessToken, body: { refreshToken: user.refreshToken } });
    expect(out.status).toBe(204);
    expect((await server.api('GET', '/api/v1/me', { token: user.accessToken })).status).toBe(401);
    expect((await server.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } })).status).toBe(401);
  });

  it('enrols TOTP, then requires the code at login, accepts a recovery code once', async () => {
    const creds = { email: 'mfa@example.com', password: 'mfa-password-long', role: 'oncall' as const };
    const user = await createUserAndLogin(server, creds);
    const enrol = await server.api('POST', '/api/v1/me/mfa/enrol', { token: user.accessToken, body: { currentPassword: creds.password } });
    expect(enrol.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/OpsDesk:/);
    const bad = await server.api('POST', '/api/v1/me/mfa/confirm', { token: user.accessToken, body: { code: '000000' } });
    expect(bad.status).toBe(401);
    const confirm = await server.api('POST', '/api/v1/me/mfa/confirm', { token: user.accessToken, body: { code: generateSync({ secret: enrol.body.secret }) } });
    expect(confirm.status).toBe(200);
    expect(confirm.body.recoveryCodes).toHaveLength(10);

    const step1 = await server.api('POST', '/api/v1/auth/login', { body: creds });
    expect(step1.body).toMatchObject({ mfaRequired: true });
    expect(step1.body.accessToken).toBeUndefined();
    const wrong = await server.api('POST', '/api/v1/auth/login/mfa', { body: { mfaToken: step1.body.mfaToken, code: '123456' } });
    expect(wrong.status).toBe(401);
    const recovery = confirm.body.recoveryCodes[0];
    const ok = await server.api('POST', '/api/v1/auth/login/mfa', { body: { mfaToken: step1.body.mfaToken, code: recovery } });
    expect(ok.status).toBe(200);
    expect(ok.body.user.mfaEnabled).toBe(true);
    const again = await server.api('POST', '/api/v1/auth/login/mfa', { body: { mfaToken: step1.body.mfaToken, code: recovery } });
    expect(again.status).toBe(401);
  });

  it('refuses weak passwords with a clear message', async () => {
    const res = await server.api('POST', '/api/v1/users', { token: admin.accessToken, body: { email: 'weak@example.com', name: 'Weak', role: 'agent', password: 'short' } });
    expect(res.status).toBe(422);
    expect(res.body.message).toMatch(/at least 12 characters/);
  });
});

describe('token expiry', () => {
  it('an access token stops working after its lifetime, before and after it was first used', async () => {
    const { ManualClock } = await import('../platform/clock');
    const clock = new ManualClock(Date.now());
    const server = await startTestServer('sqlite', { clock });
    const user = await createUserAndLogin(server, { email: 'exp@example.com', password: 'expiring-pass-words', role: 'agent' });
    const unused = await server.api('POST', '/api/v1/auth/login', { body: { email: 'exp@example.com', password: 'expiring-pass-words' } });
    expect((await server.api('GET', '/api/v1/me', { token: user.accessToken })).status).toBe(200);
    clock.advance(16 * 60_000);
    for (const token of [user.accessToken, unused.body.accessToken]) {
      const res = await server.api('GET', '/api/v1/me', { token });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('token_expired');
    }
    // The refresh token still works and yields a fresh access token.
    const refreshed = await server.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect((await server.api('GET', '/api/v1/me', { token: refreshed.body.accessToken })).status).toBe(200);
    await server.dispose();
  });
});
