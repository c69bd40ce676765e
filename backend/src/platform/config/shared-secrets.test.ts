import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../app/server';
import { createPgDatabase, createUserAndLogin, makeApiCaller, startTestServer, testConfig, type TestServer } from '../../../test-support/harness';

describe('instances of one deployment agree on the JWT secret by themselves', () => {
  const running: (RunningServer | TestServer)[] = [];
  afterEach(async () => {
    for (const s of running.splice(0)) await s.stop();
  });

  it('on PostgreSQL: a token from instance A works on instance B, though each generated its own secret', { timeout: 60_000 }, async () => {
    const url = await createPgDatabase();
    const a = await startTestServer('postgres', { env: { DATABASE_URL: url } });
    running.push(a);
    // B has its own data folder, so its own generated secrets.json: only the database is shared.
    const bConfig = await testConfig('postgres', { DATABASE_URL: url });
    expect(a.config.JWT_SECRET_GENERATED && bConfig.JWT_SECRET_GENERATED).toBe(true);
    expect(bConfig.JWT_SECRET).not.toBe(a.config.JWT_SECRET);
    const b = await startServer(bConfig);
    running.push(b);
    const { accessToken } = await createUserAndLogin(a, { email: 'shared@example.com', password: 'granite-orbit-willow-35', role: 'agent' });
    const me = await makeApiCaller(b.url)('GET', '/api/v1/me', { token: accessToken });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe('shared@example.com');
  });

  it('a configured JWT_SECRET always wins, and SQLite keeps its secrets.json', async () => {
    const pinned = await testConfig('postgres', { JWT_SECRET: 'an-operator-chosen-secret-of-32-chars-or-more' });
    expect(pinned.JWT_SECRET_GENERATED).toBe(false);
    const s = await startServer(pinned);
    running.push(s);
    const token = (await createUserAndLogin({ ...s, config: pinned, api: makeApiCaller(s.url), dispose: async () => {} }, { email: 'op@example.com', password: 'granite-orbit-willow-36', role: 'agent' })).accessToken;
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toMatchObject({ alg: 'HS256' });
    // The pinned secret signed it: verify with jose against the configured value.
    const { jwtVerify } = await import('jose');
    await expect(jwtVerify(token, new TextEncoder().encode(pinned.JWT_SECRET))).resolves.toBeTruthy();
    const sqlite = await testConfig('sqlite');
    expect(sqlite.JWT_SECRET_GENERATED).toBe(true);
  });
});
