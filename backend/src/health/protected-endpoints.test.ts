import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../platform/config/config';
import { ADMIN, createUserAndLogin, startTestServer, tempDir, type TestServer } from '../../test-support/harness';

const TOKEN_A = 'scrape-token-aaaaaaaaaaaaaaaaaaaa';
const TOKEN_B = 'scrape-token-bbbbbbbbbbbbbbbbbbbb';

describe('/metrics and the API docs behind configuration', () => {
  const dataDir = tempDir();
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('validates METRICS_TOKEN and API_DOCS, never echoing the token', () => {
    expect(() => parseConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 24 characters$/);
    expect(() => parseConfig({ API_DOCS: 'sometimes' })).toThrow(/API_DOCS/);
    expect(parseConfig({}).API_DOCS).toBe('public');
  });

  it('keeps /metrics open by default, and asks for the bearer token once METRICS_TOKEN is set', async () => {
    const open = await startTestServer('sqlite');
    expect((await fetch(`${open.url}/metrics`)).status).toBe(200);
    await open.dispose();

    const server = await startTestServer('sqlite', { env: { DATA_DIR: dataDir, METRICS_TOKEN: TOKEN_A } });
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN_B}` } })).status).toBe(401);
    const ok = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN_A}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('opsdesk_http_requests_total');
    await server.stop();
  });

  it('audits the metrics token when it is configured and when it is rotated, not on every start', async () => {
    for (const token of [TOKEN_A, TOKEN_B, TOKEN_B]) {
      const s = await startTestServer('sqlite', { env: { DATA_DIR: dataDir, METRICS_TOKEN: token } });
      await s.stop();
    }
    const s = await startTestServer('sqlite', { env: { DATA_DIR: dataDir } });
    const admin = await createUserAndLogin(s, { ...ADMIN, role: 'admin' });
    const entries = await s.api('GET', '/api/v1/audit?targetType=metrics', { token: admin.accessToken });
    const actions = (entries.body.items as { action: string; details: Record<string, unknown> }[]).reverse();
    expect(actions.map((e) => [e.action, e.details?.rotated ?? null])).toEqual([
      ['metrics.token_configured', false],
      ['metrics.token_configured', true],
      ['metrics.token_removed', null],
    ]);
    expect(JSON.stringify(actions)).not.toContain(TOKEN_A);
    await s.dispose();
  });

  describe.each([
    ['off', 404, 404],
    ['signed-in', 401, 200],
  ] as const)('API_DOCS=%s', (mode, anonymous, signedIn) => {
    let server: TestServer;
    afterAll(() => server.dispose());

    it(`answers the docs and the schema with ${anonymous} to strangers and ${signedIn} to a signed-in user`, async () => {
      server = await startTestServer('sqlite', { env: { API_DOCS: mode } });
      const user = await createUserAndLogin(server, { email: 'agent@example.com', password: 'field-worker-pass-1', role: 'agent' });
      for (const url of ['/api/schema/', '/api/docs/', '/api/docs/json']) {
        expect((await server.api('GET', url)).status, url).toBe(anonymous);
        expect((await server.api('GET', url, { token: user.accessToken })).status, url).toBe(signedIn);
      }
    });
  });
});
