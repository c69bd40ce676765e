import { generateSync } from 'otplib';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, DATABASES, createUserAndLogin, startTestServer, type TestServer } from '../../test-support/harness';
import { ManualClock } from '../platform/clock';

/** Issue 14 item 7: the review's findings on sign-in, sessions and sockets. */
const MAX = 3;
const from = (ip: string) => ({ 'x-forwarded-for': ip });

function connect(url: string, token: string): Promise<{ socket: Socket; closed: Promise<number> }> {
  const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false });
  const closed = new Promise<number>((resolve) => socket.once('disconnect', () => resolve(Date.now())));
  return new Promise((resolve, reject) => {
    socket.once('ready', () => resolve({ socket, closed }));
    socket.once('connect_error', reject);
  });
}

/** Resolves with how long the socket took to be closed by the server after `act` ran. */
async function closedWithin(socket: { closed: Promise<number> }, act: () => Promise<unknown>): Promise<number> {
  const started = Date.now();
  await act();
  const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(Number.POSITIVE_INFINITY), 3000));
  const at = await Promise.race([socket.closed, timeout]);
  return at - started;
}

describe.each(DATABASES)('auth review fixes on %s', (kind) => {
  let server: TestServer;
  let admin: { id: string; accessToken: string };
  let n = 0;
  const newUser = (role: 'agent' | 'oncall' = 'agent') =>
    createUserAndLogin(server, { email: `u${n++}-${kind}@example.com`, password: 'a-long-enough-password', role }).then((u) => ({
      ...u,
      email: `u${n - 1}-${kind}@example.com`,
    }));

  beforeAll(async () => {
    server = await startTestServer(kind, { env: { LOGIN_MAX_FAILURES: String(MAX), TRUST_PROXY: 'true', LOGIN_IP_MAX_PER_MINUTE: '10000' } });
    admin = await createUserAndLogin(server, { ...ADMIN, role: 'admin' });
  });
  afterAll(() => server.dispose());

  it('verifies at most LOGIN_MAX_FAILURES of 40 parallel wrong passwords; the rest answer locked', async () => {
    const user = await newUser();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        server.api('POST', '/api/v1/auth/login', { body: { email: user.email, password: `wrong-password-${i}` }, headers: from('198.51.100.7') }),
      ),
    );
    const wrong = answers.filter((a) => a.status === 401).length;
    const locked = answers.filter((a) => a.status === 423).length;
    expect(wrong).toBeLessThanOrEqual(MAX);
    expect(wrong + locked).toBe(40);
    const audit = await server.api<{ items: { targetId: string }[] }>('GET', '/api/v1/audit?action=auth.login_failed&limit=200', { token: admin.accessToken });
    const lockouts = await server.api<{ items: { targetId: string }[] }>('GET', '/api/v1/audit?action=auth.lockout&limit=200', { token: admin.accessToken });
    const verified = [...audit.body.items, ...lockouts.body.items].filter((e) => e.targetId === user.id).length;
    expect(verified).toBeLessThanOrEqual(MAX);
  });

  it('a lockout from one address does not lock the account out from another', async () => {
    const user = await newUser();
    for (let i = 0; i < MAX + 2; i++) {
      await server.api('POST', '/api/v1/auth/login', { body: { email: user.email, password: 'guess-guess-guess' }, headers: from('198.51.100.9') });
    }
    const attacker = await server.api('POST', '/api/v1/auth/login', { body: { email: user.email, password: 'a-long-enough-password' }, headers: from('198.51.100.9') });
    expect(attacker.status).toBe(423);
    const owner = await server.api('POST', '/api/v1/auth/login', { body: { email: user.email, password: 'a-long-enough-password' }, headers: from('203.0.113.5') });
    expect(owner.status).toBe(200);
  });

  it('MFA enrolment needs the current password', async () => {
    const user = await newUser('oncall');
    const none = await server.api('POST', '/api/v1/me/mfa/enrol', { token: user.accessToken });
    expect(none.status).toBe(400);
    const wrong = await server.api('POST', '/api/v1/me/mfa/enrol', { token: user.accessToken, body: { currentPassword: 'not-my-password' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toMatch(/current password/i);
    const ok = await server.api('POST', '/api/v1/me/mfa/enrol', { token: user.accessToken, body: { currentPassword: 'a-long-enough-password' } });
    expect(ok.status).toBe(200);
    expect(ok.body.otpauthUri).toMatch(/^otpauth:/);
  });

  it('confirming MFA revokes the other sessions (and closes their sockets)', async () => {
    const user = await newUser('oncall');
    const other = await server.api('POST', '/api/v1/auth/login', { body: { email: user.email, password: 'a-long-enough-password' } });
    const otherSocket = await connect(server.url, other.body.accessToken);
    const enrol = await server.api('POST', '/api/v1/me/mfa/enrol', { token: user.accessToken, body: { currentPassword: 'a-long-enough-password' } });
    const ms = await closedWithin(otherSocket, () =>
      server.api('POST', '/api/v1/me/mfa/confirm', { token: user.accessToken, body: { code: generateSync({ secret: enrol.body.secret }) } }),
    );
    expect(ms).toBeLessThan(1000);
    expect((await server.api('GET', '/api/v1/me', { token: other.body.accessToken })).status).toBe(401);
    expect((await server.api('GET', '/api/v1/me', { token: user.accessToken })).status).toBe(200);
  });

  it('closes a user’s live sockets within a second at every revocation', async () => {
    const revocations: [string, (u: Awaited<ReturnType<typeof newUser>>) => Promise<unknown>][] = [
      ['role change', (u) => server.api('PATCH', `/api/v1/users/${u.id}`, { token: admin.accessToken, body: { role: 'oncall' } })],
      ['disable', (u) => server.api('PATCH', `/api/v1/users/${u.id}`, { token: admin.accessToken, body: { disabled: true } })],
      ['logout', (u) => server.api('POST', '/api/v1/auth/logout', { token: u.accessToken, body: { refreshToken: u.refreshToken } })],
      [
        'password change (other device)',
        async (u) => {
          const here = await server.api('POST', '/api/v1/auth/login', { body: { email: u.email, password: 'a-long-enough-password' } });
          return server.api('POST', '/api/v1/me/password', {
            token: here.body.accessToken,
            body: { currentPassword: 'a-long-enough-password', newPassword: 'another-long-password-2' },
          });
        },
      ],
      [
        'session revoke',
        async (u) => {
          const here = await server.api('POST', '/api/v1/auth/login', { body: { email: u.email, password: 'a-long-enough-password' } });
          const sessions = await server.api<{ id: string; current: boolean }[]>('GET', '/api/v1/me/sessions', { token: u.accessToken });
          const mine = sessions.body.find((s) => s.current)!;
          return server.api('DELETE', `/api/v1/me/sessions/${mine.id}`, { token: here.body.accessToken });
        },
      ],
    ];
    for (const [what, revoke] of revocations) {
      const user = await newUser();
      const live = await connect(server.url, user.accessToken);
      const ms = await closedWithin(live, () => revoke(user));
      expect(ms, what).toBeLessThan(1000);
      live.socket.close();
    }
  });

  it('a password change keeps the current device’s socket open', async () => {
    const user = await newUser();
    const live = await connect(server.url, user.accessToken);
    await server.api('POST', '/api/v1/me/password', {
      token: user.accessToken,
      body: { currentPassword: 'a-long-enough-password', newPassword: 'another-long-password-3' },
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(live.socket.connected).toBe(true);
    live.socket.close();
  });
});

describe('a lost refresh response', () => {
  it('retrying the same refresh token within the grace signs nobody out; after it, reuse revokes the family', async () => {
    const clock = new ManualClock(Date.now());
    const server = await startTestServer('sqlite', { clock });
    const user = await createUserAndLogin(server, { email: 'lost@example.com', password: 'correct-staple-battery-9', role: 'agent' });
    const lost = await server.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(lost.status).toBe(200);
    clock.advance(2_000);
    const retry = await server.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(retry.status).toBe(200);
    expect((await server.api('GET', '/api/v1/me', { token: retry.body.accessToken })).status).toBe(200);
    const next = await server.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: retry.body.refreshToken } });
    expect(next.status).toBe(200);
    const after = await server.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: next.body.refreshToken } });
    expect(after.status).toBe(200);

    // The token that replaced it was used already, so presenting it again is theft, grace or not.
    const stolen = await server.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: retry.body.refreshToken } });
    expect(stolen.status).toBe(401);
    expect(stolen.body.error).toBe('token_revoked');
    expect((await server.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: after.body.refreshToken } })).status).toBe(401);
    // The token the lost response carried never reached the client: presented, it is reuse.
    expect((await server.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: lost.body.refreshToken } })).status).toBe(401);
    await server.dispose();
  });

  it('a retry after the grace is reuse', async () => {
    const clock = new ManualClock(Date.now());
    const server = await startTestServer('sqlite', { clock });
    const user = await createUserAndLogin(server, { email: 'late@example.com', password: 'correct-staple-battery-9', role: 'agent' });
    await server.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } });
    clock.advance(5 * 60_000);
    const late = await server.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(late.status).toBe(401);
    expect(late.body.error).toBe('token_revoked');
    await server.dispose();
  });
});
