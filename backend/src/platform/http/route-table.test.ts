import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_LIST } from '../../../../shared/api/routes';
import { startTestServer, type TestServer } from '../../../test-support/harness';

describe('the route table is the one contract', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite');
  });
  afterAll(() => server.dispose());

  const api = () => server.routes.filter((r) => r.url.startsWith('/api/v1/') && r.method !== 'HEAD');

  it('every route under /api/v1 is registered from a declaration', () => {
    const undeclared = api().filter((r) => !r.routeName).map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
  });

  it('every declared route has a handler, at the declared method and path', () => {
    const registered = new Set(api().map((r) => `${r.routeName} ${r.method} ${r.url}`));
    const missing = ROUTE_LIST.filter((d) => !registered.has(`${d.name} ${d.method} /api/v1${d.path}`)).map((d) => d.name);
    expect(missing).toEqual([]);
  });

  it('the OpenAPI document lists the declared routes under their tags', async () => {
    const res = await server.api<{ paths: Record<string, Record<string, { tags?: string[] }>> }>('GET', '/api/schema/');
    for (const d of ROUTE_LIST.filter((r) => !r.hidden)) {
      const openApiPath = `/api/v1${d.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
      expect(res.body.paths[openApiPath]?.[d.method.toLowerCase()]?.tags, `${d.name}`).toEqual([d.tag]);
    }
  });
});
