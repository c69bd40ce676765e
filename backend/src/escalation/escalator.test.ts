import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test-support/harness';
import { startMonitoringServer, type MonitoringTestEnv, monitoringOf } from '../../test-support/monitoring';

describe.each(DATABASES)('escalation of an alert storm on %s', (kind) => {
  let env: MonitoringTestEnv;
  beforeAll(async () => {
    env = await startMonitoringServer(kind);
  });
  afterAll(() => env?.server.dispose());

  it('moves at most 200 due alerts per tick, longest waiting first, the rest on the next tick', async () => {
    const alerts = Array.from({ length: 230 }, (_, i) => ({ name: `storm-${i}`, severity: 'low' }));
    const res = await env.server.api('POST', '/api/v1/integrations/generic', { token: env.ingestToken, body: { alerts } });
    expect(res.body.fired).toBe(230);
    const m = monitoringOf(env.server);
    await m.idle();
    const db = env.server.services.database.db;
    // The last 30 came due a minute earlier than the others.
    const late = (res.body.ids as string[]).slice(200);
    await db.updateTable('alerts').set({ next_escalation_at: env.clock.now() + 29 * 60_000 }).where('id', 'in', late).execute();
    env.clock.advance(30 * 60_000);
    expect(await m.escalator.tick()).toBe(200);
    await m.idle();
    const level1 = await db.selectFrom('alerts').select('id').where('escalation_level', '=', 1).execute();
    expect(level1).toHaveLength(200);
    expect(level1.map((r) => r.id)).toEqual(expect.arrayContaining(late));
    expect(await m.escalator.tick()).toBe(30);
    await m.idle();
    expect(await m.escalator.tick()).toBe(0);
  });
});
