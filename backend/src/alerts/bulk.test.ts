import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test-support/harness';
import { startMonitoringServer, type MonitoringTestEnv } from '../../test-support/monitoring';

describe.each(DATABASES)('bulk alert work on %s', (kind) => {
  let env: MonitoringTestEnv;
  const fire = async (name: string) => (await env.server.api('POST', '/api/v1/alerts', { token: env.oncall.accessToken, body: { name, severity: 'high', summary: name } })).body.id as string;
  const status = async (id: string) => (await env.server.api('GET', `/api/v1/alerts/${id}`, { token: env.oncall.accessToken })).body.status as string;

  beforeAll(async () => void (env = await startMonitoringServer(kind)));
  afterAll(() => env?.server.dispose());

  it('acknowledges and resolves many alerts at once, reporting each one it could not', async () => {
    const ids = [await fire('one'), await fire('two'), await fire('three')];
    const acked = await env.server.api('POST', '/api/v1/alerts/bulk', { token: env.oncall.accessToken, body: { ids: [...ids, ids[0]], action: 'acknowledge' } });
    expect(acked.status).toBe(200);
    expect(acked.body.done.map((d: { id: string }) => d.id)).toEqual(ids);
    expect(await Promise.all(ids.map(status))).toEqual(['acknowledged', 'acknowledged', 'acknowledged']);

    await env.server.api('POST', `/api/v1/alerts/${ids[2]}/resolve`, { token: env.oncall.accessToken, body: {} });
    const missing = '00000000-0000-4000-8000-000000000000';
    const resolved = await env.server.api('POST', '/api/v1/alerts/bulk', { token: env.oncall.accessToken, body: { ids: [...ids, missing], action: 'resolve', reason: 'fixed the disk' } });
    expect(resolved.body.done).toEqual([
      { id: ids[0], status: 'resolved' },
      { id: ids[1], status: 'resolved' },
    ]);
    expect(resolved.body.failed).toEqual([
      { id: ids[2], error: 'conflict', message: 'Alert is already resolved' },
      { id: missing, error: 'not_found', message: expect.any(String) },
    ]);
    const audit = await env.server.api('GET', '/api/v1/audit?action=alert.resolved', { token: env.admin.accessToken });
    expect(audit.body.items.filter((e: { targetId: string }) => ids.slice(0, 2).includes(e.targetId))).toHaveLength(2);
  });

  it('refuses an empty or oversized selection', async () => {
    expect((await env.server.api('POST', '/api/v1/alerts/bulk', { token: env.oncall.accessToken, body: { ids: [], action: 'resolve' } })).status).toBe(400);
    const many = Array.from({ length: 501 }, () => '00000000-0000-4000-8000-000000000000');
    expect((await env.server.api('POST', '/api/v1/alerts/bulk', { token: env.oncall.accessToken, body: { ids: many, action: 'resolve' } })).status).toBe(400);
  });
});
