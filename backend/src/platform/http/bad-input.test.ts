import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, DATABASES, createUserAndLogin, startTestServer, type TestServer } from '../../../test-support/harness';

/** Every class of bad input gets a 4xx `{error, message}`: never a 500, a stack trace or a partial write. */
describe.each(DATABASES)('bad input on %s', (kind) => {
  let server: TestServer;
  let admin: { accessToken: string };
  const countUsers = async () => (await server.api('GET', '/api/v1/users', { token: admin.accessToken })).body.length as number;

  beforeAll(async () => {
    server = await startTestServer(kind);
    admin = await createUserAndLogin(server, { ...ADMIN, role: 'admin' });
  });
  afterAll(() => server.dispose());

  const expectClientError = (res: { status: number; body: any }, status: number) => {
    expect(res.status).toBe(status);
    expect(typeof res.body.error).toBe('string');
    expect(typeof res.body.message).toBe('string');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
  };

  it('malformed JSON', async () => {
    expectClientError(await server.api('POST', '/api/v1/users', { token: admin.accessToken, raw: '{"email": "a@b.c",' }), 400);
  });

  it('wrong types, missing fields and unknown enum values, naming the field', async () => {
    const before = await countUsers();
    const wrongType = await server.api('POST', '/api/v1/users', { token: admin.accessToken, body: { email: 42, name: 'x', role: 'agent', password: 'long-enough-password' } });
    expectClientError(wrongType, 400);
    expect(wrongType.body.message).toContain('email');
    const missing = await server.api('POST', '/api/v1/users', { token: admin.accessToken, body: { email: 'm@example.com', role: 'agent' } });
    expectClientError(missing, 400);
    const badEnum = await server.api('POST', '/api/v1/users', { token: admin.accessToken, body: { email: 'e@example.com', name: 'E', role: 'root', password: 'long-enough-password' } });
    expectClientError(badEnum, 400);
    expect(badEnum.body.message).toContain('role');
    expect(await countUsers()).toBe(before);
  });

  it('bodies over 1 MiB', async () => {
    const res = await server.api('POST', '/api/v1/auth/login', { raw: JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(1_100_000) }) });
    expectClientError(res, 413);
  });

  it('unknown ids and unknown routes', async () => {
    expectClientError(await server.api('GET', '/api/v1/users/00000000-0000-0000-0000-000000000000', { token: admin.accessToken }), 404);
    expectClientError(await server.api('GET', '/api/v1/nothing-here', { token: admin.accessToken }), 404);
  });

  it('forged and expired tokens', async () => {
    expectClientError(await server.api('GET', '/api/v1/me', { token: 'not.a.jwt' }), 401);
    expectClientError(await server.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: 'abc.def' } }), 401);
    expectClientError(await server.api('GET', '/api/v1/me', { token: 'odk_abc.0123456789abcdef0123' }), 401);
  });

  it('SQL and HTML meta-characters are stored as text', async () => {
    const name = `Robert'); DROP TABLE users;-- <script>alert(1)</script>`;
    const res = await server.api('POST', '/api/v1/users', { token: admin.accessToken, body: { email: 'bobby@example.com', name, role: 'agent', password: 'little-tables-pass' } });
    expect(res.status).toBe(201);
    const got = await server.api('GET', `/api/v1/users/${res.body.id}`, { token: admin.accessToken });
    expect(got.body.name).toBe(name);
    const sqlEmail = await server.api('POST', '/api/v1/auth/login', { body: { email: "x' OR '1'='1@example.com", password: "' OR 1=1 --" } });
    expect([400, 401]).toContain(sqlEmail.status);
  });

  it('a replayed Idempotency-Key returns the first result and writes once', async () => {
    const body = { email: 'idem@example.com', name: 'Idem', role: 'agent', password: 'replayed-secret-pass' };
    const headers = { 'idempotency-key': 'create-idem-user-1' };
    const first = await server.api('POST', '/api/v1/users', { token: admin.accessToken, body, headers });
    const before = await countUsers();
    const replay = await server.api('POST', '/api/v1/users', { token: admin.accessToken, body, headers });
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('idempotent-replay')).toBe('true');
    expect(await countUsers()).toBe(before);
    const other = await server.api('POST', '/api/v1/users', { token: admin.accessToken, body: { ...body, email: 'other@example.com' }, headers });
    expectClientError(other, 422);
  });
});
