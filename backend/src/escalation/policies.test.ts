import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, createUserAndLogin } from '../../test-support/harness';
import { startMonitoringServer, monitoringOf, type MonitoringTestEnv } from '../../test-support/monitoring';

const MIN = 60_000;

describe.each(DATABASES)('escalation policies to people on %s', (kind) => {
  let env: MonitoringTestEnv;
  let ana: { id: string; accessToken: string };
  let ben: { id: string; accessToken: string };
  let lead: { id: string; accessToken: string };
  let scheduleId: string;
  let policyId: string;
  const api = (method: string, url: string, body?: unknown, token = env.admin.accessToken) => env.server.api(method, `/api/v1${url}`, { token, body });
  const fire = async (name: string, labels: Record<string, string>) => {
    const res = await env.server.api('POST', '/api/v1/integrations/generic', { token: env.ingestToken, body: { name, severity: 'high', labels } });
    await monitoringOf(env.server).idle();
    return res.body.ids[0] as string;
  };
  /** Who got a desktop popup for the alert, per level and in order. */
  const paged = async (alertId: string) =>
    (await env.server.services.database.db.selectFrom('notification_deliveries').select(['target', 'escalation_level']).where('alert_id', '=', alertId).where('channel', '=', 'desktop').orderBy('created_at').orderBy('target').execute()).map((d) => `${Number(d.escalation_level)}:${d.target}`);
  const step = async (minutes: number) => {
    env.clock.advance(minutes * MIN);
    await monitoringOf(env.server).tick();
    await monitoringOf(env.server).idle();
  };

  beforeAll(async () => {
    env = await startMonitoringServer(kind);
    ana = await createUserAndLogin(env.server, { email: 'ana@example.com', password: 'orchid-harbour-5521', role: 'oncall', name: 'Ana' });
    ben = await createUserAndLogin(env.server, { email: 'ben@example.com', password: 'granite-swallow-8830', role: 'oncall', name: 'Ben' });
    lead = await createUserAndLogin(env.server, { email: 'lead@example.com', password: 'meadow-pylon-1274', role: 'oncall', name: 'Lead' });
    scheduleId = (await api('POST', '/oncall/schedules', { name: 'Ops', timeZone: 'UTC' })).body.id;
    await api('POST', `/oncall/schedules/${scheduleId}/rotations`, { name: 'Primary', kind: 'weekly', handoffTime: '09:00', startDate: '2026-01-05', participants: [ana.id, ben.id] });
  });
  afterAll(() => env?.server.dispose());

  it('the default policy is the manuals’ four levels; policies are validated; the default cannot be deleted', async () => {
    const list = await api('GET', '/escalation-policies', undefined, env.oncall.accessToken);
    expect(list.body).toEqual([expect.objectContaining({ id: 'default', isDefault: true, repeat: 0, ackTimeoutMinutes: null })]);
    expect(list.body[0].levels.map((l: any) => [l.name, l.afterMinutes])).toEqual([
      ['On-call engineer', 0],
      ['Team lead', 30],
      ['Manager', 60],
      ['Director', 120],
    ]);
    const levels = [
      { name: 'On call', afterMinutes: 0, scheduleIds: [scheduleId], userIds: [ana.id] },
      { name: 'Lead', afterMinutes: 10, userIds: [lead.id] },
    ];
    expect((await api('POST', '/escalation-policies', { name: 'DB', levels })).body.message).toMatch(/must match at least one label/);
    expect((await api('POST', '/escalation-policies', { name: 'DB', match: { service: 'db' }, levels: [{ name: 'x', afterMinutes: 0, scheduleIds: ['gone'] }] })).body.message).toBe('a level targets what does not exist: schedule gone');
    expect((await api('POST', '/escalation-policies', { name: 'DB', match: { service: 'db' }, levels: [{ name: 'x', afterMinutes: 0 }] })).status).toBe(400);
    expect((await api('POST', '/escalation-policies', { name: 'DB', match: { service: 'db' }, levels }, env.oncall.accessToken)).status).toBe(403);
    const created = await api('POST', '/escalation-policies', { name: 'DB', match: { service: 'db' }, repeat: 1, ackTimeoutMinutes: 15, levels });
    expect(created.status).toBe(201);
    policyId = created.body.id;
    expect((await api('GET', '/escalation-policies')).body.map((p: any) => p.name)).toEqual(['DB', 'Default']);
    expect((await api('DELETE', '/escalation-policies/default')).status).toBe(409);
  });

  it('previews who each level would page now: the schedule’s on-call person once, with every reason', async () => {
    const preview = await api('GET', `/escalation-policies/${policyId}/preview`, undefined, env.oncall.accessToken);
    expect(preview.body.levels).toEqual([
      { index: 0, name: 'On call', afterMinutes: 0, users: [{ id: ana.id, name: 'Ana', email: 'ana@example.com', via: ['user', 'schedule:Ops'] }] },
      { index: 1, name: 'Lead', afterMinutes: 10, users: [expect.objectContaining({ id: lead.id, via: ['user'] })] },
    ]);
  });

  it('routes by label, pages each person once per level, repeats the policy, and stops after its repeats', async () => {
    const db = await fire('DB slow', { service: 'db' });
    const web = await fire('Web slow', { service: 'web' });
    expect((await api('GET', `/alerts/${db}`)).body).toMatchObject({ policyId, escalationRound: 0, nextEscalationAt: env.clock.now() + 10 * MIN });
    expect((await api('GET', `/alerts/${web}`)).body).toMatchObject({ policyId: 'default', nextEscalationAt: env.clock.now() + 30 * MIN });
    expect(await paged(db)).toEqual([`0:${ana.id}`]); // via the schedule and by name: one popup
    expect((await paged(web)).sort()).toEqual([ana.id, ben.id, lead.id, env.oncall.id].map((id) => `0:${id}`).sort()); // the default: every on-call user

    await step(10);
    expect(await paged(db)).toEqual([`0:${ana.id}`, `1:${lead.id}`]);
    await monitoringOf(env.server).tick(); // a second tick at the same moment pages nobody again
    await monitoringOf(env.server).idle();
    await step(10); // the policy runs again, once
    expect((await api('GET', `/alerts/${db}`)).body).toMatchObject({ escalationLevel: 0, escalationRound: 1 });
    await step(10);
    expect(await paged(db)).toEqual([`0:${ana.id}`, `1:${lead.id}`, `0:${ana.id}`, `1:${lead.id}`]);
    expect((await api('GET', `/alerts/${db}`)).body).toMatchObject({ escalationLevel: 1, escalationRound: 1, nextEscalationAt: null });
    await step(60);
    expect(await paged(db)).toHaveLength(4);
  });

  it('an acknowledgement not followed by a resolve within the ack timeout fires the alert again and re-pages', async () => {
    const id = await fire('DB down', { service: 'db' });
    const ack = await api('POST', `/alerts/${id}/ack`, undefined, ana.accessToken);
    expect(ack.body.status).toBe('acknowledged');
    await monitoringOf(env.server).idle();
    expect((await api('GET', `/alerts/${id}`)).body.ackExpiresAt).toBe(env.clock.now() + 15 * MIN);
    await step(14);
    expect((await api('GET', `/alerts/${id}`)).body.status).toBe('acknowledged');
    await step(1);
    expect((await api('GET', `/alerts/${id}`)).body).toMatchObject({ status: 'firing', acknowledgedBy: null, ackExpiresAt: null, escalationLevel: 0, nextEscalationAt: env.clock.now() + 10 * MIN });
    expect(await paged(id)).toEqual([`0:${ana.id}`, `0:${ana.id}`]);
    // Acknowledged and resolved in time: no re-page.
    await api('POST', `/alerts/${id}/ack`, undefined, ana.accessToken);
    await api('POST', `/alerts/${id}/resolve`, { reason: 'fixed' }, ana.accessToken);
    await step(30);
    expect(await paged(id)).toHaveLength(2);
  });

  it('"I’m on it": the owner is shown to everyone and the next levels page only the owner', async () => {
    const id = await fire('DB replication lag', { service: 'db' });
    const own = await api('POST', `/alerts/${id}/own`, undefined, ben.accessToken);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ ownerId: ben.id, ownerName: 'Ben', ownedAt: env.clock.now(), status: 'firing' });
    expect((await api('GET', `/alerts/${id}`, undefined, env.oncall.accessToken)).body.ownerName).toBe('Ben');
    await step(10);
    expect(await paged(id)).toEqual([`0:${ana.id}`, `1:${ben.id}`]); // not the lead
    expect((await api('POST', `/alerts/${id}/resolve`, { reason: 'replica caught up' }, ben.accessToken)).body.status).toBe('resolved');
    expect((await api('POST', `/alerts/${id}/own`, undefined, ana.accessToken)).status).toBe(409);
  });

  it('claims many pages in one go: each person once per alert and key, within the batch and against earlier claims', async () => {
    const id = await fire('Batch claim', { team: 'none' });
    const pager = env.server.services.pager;
    const person = (u: { id: string }, name: string) => ({ id: u.id, name, email: `${name}@example.com`, via: ['user'] });
    const [a, b, l] = [person(ana, 'ana'), person(ben, 'ben'), person(lead, 'lead')];
    const first = await pager.claimMany([
      { alertId: id, pageKey: '7.1', people: [a, b] },
      { alertId: id, pageKey: '7.1', people: [b, l] },
      { alertId: id, pageKey: '7.2', people: [a] },
    ]);
    expect(first.map((g) => g.map((p) => p.name))).toEqual([['ana', 'ben'], ['lead'], ['ana']]);
    const again = await pager.claimMany([
      { alertId: id, pageKey: '7.1', people: [a, l] },
      { alertId: id, pageKey: '7.3', people: [b] },
    ]);
    expect(again.map((g) => g.map((p) => p.name))).toEqual([[], ['ben']]);
  });

  it('an override changes who the schedule pages; a deleted policy leaves its alerts on the default', async () => {
    await api('POST', `/oncall/schedules/${scheduleId}/overrides`, { userId: ben.id, coversUserId: ana.id, startsAt: env.clock.now() - MIN, endsAt: env.clock.now() + 60 * MIN });
    const preview = await api('GET', `/escalation-policies/${policyId}/preview`);
    expect(preview.body.levels[0].users.map((u: any) => [u.name, u.via])).toEqual([
      ['Ana', ['user']],
      ['Ben', ['schedule:Ops']],
    ]);
    expect((await api('DELETE', `/escalation-policies/${policyId}`)).status).toBe(204);
    const id = await fire('DB again', { service: 'db' });
    expect((await api('GET', `/alerts/${id}`)).body.policyId).toBe('default');
  });
});
