import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserAndLogin, startTestServer, type TestServer } from '../../test-support/harness';

const code = (secret: string) => generateSync({ secret, epoch: Math.floor(Date.now() / 1000) });

describe('TOTP seeds are sealed in the database, so backups never carry them in clear (sqlite)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite', { env: { JOB_WORKERS: '0', OPS_SCHEDULERS: 'false' } });
  });
  afterAll(() => server.dispose());

  const seedOf = async (id: string) => (await server.services.database.db.selectFrom('users').select(['mfa_secret', 'mfa_pending_secret']).where('id', '=', id).executeTakeFirstOrThrow());
  const signInWithMfa = async (email: string, password: string, secret: string) => {
    const first = await server.api('POST', '/api/v1/auth/login', { body: { email, password } });
    expect(first.body.mfaRequired, JSON.stringify(first.body)).toBe(true);
    return server.api('POST', '/api/v1/auth/login/mfa', { body: { mfaToken: first.body.mfaToken, code: code(secret) } });
  };

  it('enrolment stores the seed sealed, pending and confirmed (the confirm code is checked against the sealed seed)', async () => {
    const u = await createUserAndLogin(server, { email: 'mfa@example.com', password: 'correct-horse-battery-1', role: 'agent' });
    const enrol = await server.api('POST', '/api/v1/me/mfa/enrol', { token: u.accessToken, body: { currentPassword: 'correct-horse-battery-1' } });
    const secret = enrol.body.secret as string;
    const pending = (await seedOf(u.id)).mfa_pending_secret!;
    expect(pending).toMatch(/^v1:/);
    expect(pending).not.toContain(secret);
    expect((await server.api('POST', '/api/v1/me/mfa/confirm', { token: u.accessToken, body: { code: code(secret) } })).status).toBe(200);
    const stored = (await seedOf(u.id)).mfa_secret!;
    expect(stored).toMatch(/^v1:/);
    expect(stored).not.toContain(secret);
  });

  it('seeds stored in clear by an older version are sealed at start and keep working', async () => {
    const u = await createUserAndLogin(server, { email: 'legacy@example.com', password: 'correct-horse-battery-2', role: 'agent' });
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    await server.services.database.db.updateTable('users').set({ mfa_enabled: 1, mfa_secret: secret, mfa_last_step: null }).where('id', '=', u.id).execute();
    expect(await server.services.auth.sealTotpSeeds()).toBe(1);
    const stored = (await seedOf(u.id)).mfa_secret!;
    expect(stored).toMatch(/^v1:/);
    expect(stored).not.toContain(secret);
    const signed = await signInWithMfa('legacy@example.com', 'correct-horse-battery-2', secret);
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    expect(await server.services.auth.sealTotpSeeds()).toBe(0);
  });
});
