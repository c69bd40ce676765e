import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test-support/harness';
import { recordLiveEvents, startMonitoringServer, type MonitoringTestEnv, monitoringOf } from '../../test-support/monitoring';

describe.each(DATABASES)('incidents on %s', (kind) => {
  let env: MonitoringTestEnv;
  let socket: Socket;
  const events: { type: string; event: any }[] = [];
  const api = (method: string, url: string, body?: unknown) => env.server.api(method, `/api/v1${url}`, { token: env.oncall.accessToken, body });

  beforeAll(async () => {
    env = await startMonitoringServer(kind);
    socket = await recordLiveEvents(env, ['incident.created', 'incident.updated', 'incident.resolved'], events);
  });
  afterAll(async () => {
    socket?.disconnect();
    await env?.server.dispose();
  });

  it('declares an incident from alerts, walks the workflow in order only, and keeps a timeline', async () => {
    const fired = await env.server.api('POST', '/api/v1/integrations/generic', {
      token: env.ingestToken,
      body: { alerts: [{ name: 'API down', severity: 'critical', labels: { svc: 'api' } }, { name: 'High error rate', severity: 'high', labels: { svc: 'api' } }] },
    });
    const [a1, a2] = fired.body.ids;
    const created = await api('POST', '/incidents', { title: 'API outage', alertIds: [a1, a2], ticketIds: ['T-1042'] });
    expect(created.status).toBe(201);
    const inc = created.body;
    expect(inc).toMatchObject({ severity: 'critical', state: 'detected', responseDueAt: inc.detectedAt + 15 * 60_000, commanderId: null });
    expect(inc.links.map((l: any) => `${l.kind}:${l.refId}`).sort()).toEqual([`alert:${a1}`, `alert:${a2}`, 'ticket:T-1042'].sort());
    expect((await api('GET', `/alerts/${a1}`)).body.incidentId).toBe(inc.id);

    const skip = await api('POST', `/incidents/${inc.id}/transition`, { state: 'mitigating' });
    expect(skip.status).toBe(409);
    expect(skip.body.message).toMatch(/can only move to acknowledged/);
    const ack = await api('POST', `/incidents/${inc.id}/transition`, { state: 'acknowledged' });
    expect(ack.body).toMatchObject({ state: 'acknowledged', commanderId: env.oncall.id, acknowledgedAt: env.clock.now() });
    const back = await api('POST', `/incidents/${inc.id}/transition`, { state: 'detected' });
    expect(back.status).toBe(409);
    const early = await api('PUT', `/incidents/${inc.id}/review`, { summary: 'x' });
    expect(early.status).toBe(409);
    env.clock.advance(5 * 60_000);
    await api('POST', `/incidents/${inc.id}/transition`, { state: 'diagnosing', note: 'connection pool exhausted' });
    await api('POST', `/incidents/${inc.id}/notes`, { body: 'Raising the pool size to 40' });
    await api('POST', `/incidents/${inc.id}/transition`, { state: 'mitigating' });
    // A linked alert resolving is written to the timeline by itself.
    await api('POST', `/alerts/${a1}/resolve`, { reason: 'pool raised' });
    env.clock.advance(10 * 60_000);
    const resolved = await api('POST', `/incidents/${inc.id}/transition`, { state: 'resolved' });
    expect(resolved.body).toMatchObject({ state: 'resolved', resolvedAt: env.clock.now() });
    const review = await api('PUT', `/incidents/${inc.id}/review`, { summary: 'Pool too small for Monday peak', rootCause: 'DATABASE_POOL_SIZE 10', followUps: ['Alert on pool saturation', 'Load test'] });
    expect(review.body).toMatchObject({ summary: 'Pool too small for Monday peak', rootCause: 'DATABASE_POOL_SIZE 10', followUps: ['Alert on pool saturation', 'Load test'] });
    const reviewed = await api('POST', `/incidents/${inc.id}/transition`, { state: 'reviewed' });
    expect(reviewed.body.state).toBe('reviewed');
    expect((await api('POST', `/incidents/${inc.id}/transition`, { state: 'reviewed' })).body.message).toMatch(/closed/);

    const detail = (await api('GET', `/incidents/${inc.id}`)).body;
    const kinds = detail.timeline.map((t: any) => t.kind);
    expect(kinds[0]).toBe('created');
    expect(kinds.filter((k: string) => k === 'state')).toHaveLength(5);
    expect(detail.timeline.find((t: any) => t.kind === 'note').body).toBe('Raising the pool size to 40');
    expect(detail.timeline.find((t: any) => t.kind === 'alert').body).toMatch(/Linked alert resolved: API down/);
    expect(detail.timeline.find((t: any) => t.body.startsWith('acknowledged → diagnosing')).body).toContain('connection pool exhausted');

    await expect.poll(() => events.filter((e) => e.event.data.id === inc.id && e.type === 'incident.resolved').length).toBe(1);
    expect(events.find((e) => e.type === 'incident.created')!.event.seq).toBeGreaterThan(0);
    const feed = await env.server.services.database.db.selectFrom('changes').select('seq').where('entity', '=', 'incident').where('entity_id', '=', inc.id).execute();
    expect(feed.length).toBeGreaterThanOrEqual(8);
  });

  it('raises an alert when the response target passes unacknowledged', async () => {
    const inc = (await api('POST', '/incidents', { title: 'Login failures', severity: 'high' })).body;
    expect(inc.responseDueAt).toBe(inc.detectedAt + 60 * 60_000);
    env.clock.advance(59 * 60_000);
    await monitoringOf(env.server).tick();
    expect((await api('GET', '/alerts?source=incident')).body.items).toHaveLength(0);
    env.clock.advance(2 * 60_000);
    await monitoringOf(env.server).tick();
    await monitoringOf(env.server).tick();
    const alerts = (await api('GET', '/alerts?source=incident')).body.items as any[];
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ name: 'Incident response target missed', severity: 'high', incidentId: inc.id });
    const detail = (await api('GET', `/incidents/${inc.id}`)).body;
    expect(detail.responseBreached).toBe(true);
    expect(detail.timeline.map((t: any) => t.kind)).toContain('breach');
  });

  it('validates input', async () => {
    expect((await api('POST', '/incidents', { title: '' })).status).toBe(400);
    expect((await api('POST', '/incidents', { title: 'x', severity: 'urgent' })).status).toBe(400);
    expect((await api('POST', '/incidents', { title: 'x', alertIds: ['nope'] })).status).toBe(404);
    expect((await api('POST', '/incidents', { title: 'x', commanderId: 'ghost' })).status).toBe(422);
    expect((await api('POST', '/incidents/nope/transition', { state: 'acknowledged' })).status).toBe(404);
    const open = (await api('GET', '/incidents?state=open')).body as any[];
    expect(open.every((i) => i.state !== 'resolved' && i.state !== 'reviewed')).toBe(true);
  });
});
