import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_CHANGES_EVENT, AlertChangesEvent } from '../../../shared/api/events';
import { DATABASES } from '../../test-support/harness';
import { recordLiveEvents, startMonitoringServer, type MonitoringTestEnv, monitoringOf } from '../../test-support/monitoring';

/** A payload exactly as Alertmanager's webhook_config sends it (version 4). */
function alertmanagerPayload(status: 'firing' | 'resolved', alerts: { name: string; instance: string; fingerprint: string; severity: string }[]) {
  return {
    version: '4',
    groupKey: '{}/{severity=~"warning|critical"}:{alertname="HighLatency"}',
    truncatedAlerts: 0,
    status,
    receiver: 'opsdesk',
    groupLabels: { alertname: alerts[0]!.name },
    commonLabels: { alertname: alerts[0]!.name, job: 'api' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: alerts.map((a) => ({
      status,
      labels: { alertname: a.name, instance: a.instance, job: 'api', severity: a.severity },
      annotations: { summary: `${a.name} on ${a.instance}`, description: 'p95 above 1 s for 5 minutes' },
      startsAt: '2026-01-05T11:55:00.000Z',
      endsAt: status === 'resolved' ? '2026-01-05T12:10:00.000Z' : '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph?g0.expr=latency',
      fingerprint: a.fingerprint,
    })),
  };
}

/** Grafana unified alerting webhook contact point payload. */
function grafanaPayload(status: 'firing' | 'resolved') {
  return {
    receiver: 'opsdesk',
    status,
    orgId: 1,
    alerts: [
      {
        status,
        labels: { alertname: 'DiskFull', grafana_folder: 'infra', instance: 'db-1', severity: 'critical' },
        annotations: { summary: 'Disk on db-1 is 97% full' },
        startsAt: '2026-01-05T11:58:00Z',
        endsAt: status === 'resolved' ? '2026-01-05T12:05:00Z' : '0001-01-01T00:00:00Z',
        generatorURL: 'http://grafana:3000/alerting/grafana/abc/view',
        fingerprint: 'c6eadffa33fcdf37',
        silenceURL: 'http://grafana:3000/alerting/silence/new',
        dashboardURL: '',
        panelURL: '',
        values: { B: 97.2, C: 1 },
        valueString: "[ var='B' labels={instance=db-1} value=97.2 ]",
      },
    ],
    groupLabels: { alertname: 'DiskFull' },
    commonLabels: { alertname: 'DiskFull' },
    commonAnnotations: {},
    externalURL: 'http://grafana:3000/',
    version: '1',
    groupKey: '{}:{alertname="DiskFull"}',
    truncatedAlerts: 0,
    title: '[FIRING:1] DiskFull',
    state: 'alerting',
    message: 'Disk full',
  };
}

describe.each(DATABASES)('alert receivers on %s', (kind) => {
  let env: MonitoringTestEnv;
  let socket: Socket;
  const received: { type: string; event: any }[] = [];
  const post = (path: string, body: unknown, token = env.ingestToken) => env.server.api('POST', `/api/v1/integrations/${path}`, { token, body });
  const count = async () => Number((await env.server.services.database.db.selectFrom('alerts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n);

  beforeAll(async () => {
    env = await startMonitoringServer(kind, { WEBHOOK_MAX_BYTES: '65536' });
    socket = await recordLiveEvents(env, [ALERT_CHANGES_EVENT, 'alert.fired', 'alert.updated', 'alert.resolved'], received);
  });
  afterAll(async () => {
    socket?.disconnect();
    await env?.server.dispose();
  });

  it('takes an Alertmanager v4 group firing, dedups a repeat, and resolves on the resolved notification', async () => {
    const alerts = [
      { name: 'HighLatency', instance: 'api-1:9100', fingerprint: '5ef77f1f8a3ecfc4', severity: 'warning' },
      { name: 'HighLatency', instance: 'api-2:9100', fingerprint: '7a1d3bd5a21a2c51', severity: 'critical' },
    ];
    const first = await post('alertmanager', alertmanagerPayload('firing', alerts));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ received: 2, fired: 2, updated: 0, resolved: 0 });
    const again = await post('alertmanager', alertmanagerPayload('firing', alerts));
    expect(again.body).toMatchObject({ fired: 0, updated: 2 });

    const list = (await env.server.api('GET', '/api/v1/alerts?source=alertmanager', { token: env.oncall.accessToken })).body.items as any[];
    expect(list).toHaveLength(2);
    const api2 = list.find((a) => a.labels.instance === 'api-2:9100');
    expect(api2).toMatchObject({ name: 'HighLatency', severity: 'critical', status: 'firing', count: 2, summary: 'HighLatency on api-2:9100', generatorUrl: 'http://prometheus:9090/graph?g0.expr=latency' });
    expect(list.find((a) => a.labels.instance === 'api-1:9100').severity).toBe('medium');
    expect(api2.startsAt).toBe(Date.parse('2026-01-05T11:55:00.000Z'));

    const resolved = await post('alertmanager', alertmanagerPayload('resolved', [alerts[0]!]));
    expect(resolved.body).toMatchObject({ resolved: 1 });
    const after = (await env.server.api('GET', '/api/v1/alerts?source=alertmanager&status=resolved', { token: env.oncall.accessToken })).body.items as any[];
    expect(after.map((a) => a.labels.instance)).toEqual(['api-1:9100']);
    expect(after[0].resolveReason).toBe('resolved by alertmanager');

    // Live: no alert is broadcast; `alert.changes` announcements cover every alert record of the feed, up to the last one.
    const db = env.server.services.database.db;
    const feed = await db.selectFrom('changes').select('seq').where('entity', '=', 'alert').orderBy('seq').execute();
    expect(feed).toHaveLength(5);
    const announced = () => received.filter((r) => r.type === ALERT_CHANGES_EVENT).map((r) => AlertChangesEvent.parse(r.event));
    await expect.poll(() => announced().at(-1)?.seq).toBe(Number(feed.at(-1)!.seq));
    expect(announced().reduce((n, e) => n + e.data.count, 0)).toBe(5);
    expect(announced().every((e) => e.actor === null && !('id' in e.data))).toBe(true);
    expect(received.filter((r) => r.type !== ALERT_CHANGES_EVENT)).toEqual([]);
  });

  it('records a batch in the change feed with one sequence per event, in the batch order, repeats included', async () => {
    const alerts = Array.from({ length: 30 }, (_, i) => ({ name: 'Batch', instance: `b-${i}:9100`, fingerprint: `batch-${i}`, severity: 'warning' }));
    // The last one repeats the first inside the same webhook: a fired record, then an updated one.
    const res = await post('alertmanager', alertmanagerPayload('firing', [...alerts, alerts[0]!]));
    expect(res.body).toMatchObject({ received: 31, fired: 30, updated: 1 });
    const rows = await env.server.services.database.db.selectFrom('changes').select(['seq', 'entity_id', 'data']).where('entity', '=', 'alert').where('entity_id', 'in', res.body.ids).orderBy('seq').execute();
    const records = rows.map((r) => ({ seq: Number(r.seq), id: r.entity_id, alert: JSON.parse(r.data!) as { fingerprint: string; count: number } }));
    expect(records).toHaveLength(31);
    // In the batch order: the ids answered, then the repeat of the first as its last record.
    expect(records.slice(0, 30).map((r) => r.id)).toEqual(res.body.ids.slice(0, 30));
    expect(records.at(-1)!.alert).toMatchObject({ fingerprint: records[0]!.alert.fingerprint, count: 2 });
    expect(new Set(records.map((r) => r.seq)).size).toBe(31);
    // The whole webhook's batch is one announcement, up to its last record.
    await expect.poll(() => received.some((r) => r.type === ALERT_CHANGES_EVENT && r.event.seq === records.at(-1)!.seq)).toBe(true);
    expect(received.find((r) => r.event.seq === records.at(-1)!.seq)!.event.data).toEqual({ count: 31 });
  });

  it('takes a Grafana webhook firing then resolved', async () => {
    const firing = await post('grafana', grafanaPayload('firing'));
    expect(firing.status).toBe(200);
    expect(firing.body.fired).toBe(1);
    const id = firing.body.ids[0];
    const alert = (await env.server.api('GET', `/api/v1/alerts/${id}`, { token: env.oncall.accessToken })).body;
    expect(alert).toMatchObject({ source: 'grafana', name: 'DiskFull', severity: 'critical', value: 97.2, summary: 'Disk on db-1 is 97% full', status: 'firing' });
    const resolved = await post('grafana', grafanaPayload('resolved'));
    expect(resolved.body.resolved).toBe(1);
    expect((await env.server.api('GET', `/api/v1/alerts/${id}`, { token: env.oncall.accessToken })).body.status).toBe('resolved');
  });

  it('takes generic JSON alerts, one or a batch', async () => {
    const one = await post('generic', { name: 'Backup too old', severity: 'high', labels: { job: 'backup' }, summary: 'last backup 30 h ago' });
    expect(one.body).toMatchObject({ fired: 1 });
    const batch = await post('generic', { alerts: [{ name: 'Backup too old', labels: { job: 'backup' }, severity: 'high' }, { name: 'Queue stuck', severity: 'low' }] });
    expect(batch.body).toMatchObject({ fired: 1, updated: 1 });
    const done = await post('generic', { name: 'Backup too old', labels: { job: 'backup' }, status: 'resolved' });
    expect(done.body.resolved).toBe(1);
  });

  it('dedups concurrent deliveries of the same alert into one', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => post('generic', { name: 'Race', severity: 'low', labels: { r: '1' } })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.reduce((n, r) => n + r.body.fired, 0)).toBe(1);
    const list = (await env.server.api('GET', '/api/v1/alerts?q=race&status=active', { token: env.oncall.accessToken })).body.items as any[];
    expect(list).toHaveLength(1);
    expect(list[0].count).toBe(10);
  });

  it('answers malformed and oversized payloads with 400 and a reason, storing nothing', async () => {
    const before = await count();
    const wrongVersion = await post('alertmanager', { ...alertmanagerPayload('firing', [{ name: 'X', instance: 'i', fingerprint: 'f', severity: 'warning' }]), version: '3' });
    expect(wrongVersion.status).toBe(400);
    expect(wrongVersion.body.message).toMatch(/version/);
    const noAlerts = await post('alertmanager', { ...alertmanagerPayload('firing', [{ name: 'X', instance: 'i', fingerprint: 'f', severity: 'warning' }]), alerts: [] });
    expect(noAlerts.status).toBe(400);
    const badTime = alertmanagerPayload('firing', [{ name: 'X', instance: 'i', fingerprint: 'f', severity: 'warning' }]);
    badTime.alerts[0]!.startsAt = 'yesterday';
    expect((await post('alertmanager', badTime)).status).toBe(400);
    const notJson = await env.server.api('POST', '/api/v1/integrations/generic', { token: env.ingestToken, raw: '{"name": "x",' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toBe('invalid_json');
    const grafanaBad = await post('grafana', { receiver: 'x', status: 'firing', alerts: [{ status: 'weird', labels: {}, startsAt: '2026-01-01T00:00:00Z' }] });
    expect(grafanaBad.status).toBe(400);
    expect(grafanaBad.body.message).toMatch(/status/);
    const huge = await post('generic', { name: 'big', description: 'x'.repeat(70_000) });
    expect(huge.status).toBe(400);
    expect(huge.body.message).toMatch(/larger than 65536 bytes/);
    expect(await count()).toBe(before);
  });

  it('answers an unknown or wrongly scoped token with 401/403', async () => {
    const unknown = await post('generic', { name: 'x' }, 'odk_nosuchtoken.secretsecretsecret');
    expect(unknown.status).toBe(401);
    const unknownBig = await post('generic', { name: 'x', description: 'y'.repeat(70_000) }, 'odk_nosuchtoken.secretsecretsecret');
    expect(unknownBig.status).toBe(401);
    const readOnly = await env.server.api('POST', '/api/v1/api-tokens', { token: env.admin.accessToken, body: { name: 'ro', scopes: ['read'] } });
    expect((await post('generic', { name: 'x' }, readOnly.body.token)).status).toBe(403);
    expect((await env.server.api('POST', '/api/v1/integrations/heartbeat/nightly', { token: readOnly.body.token })).status).toBe(403);
  });

  it('fires an alert when a heartbeat is missed and resolves it on the next ping', async () => {
    const ping = await env.server.api('POST', '/api/v1/integrations/heartbeat/nightly-backup?interval=3600&grace=600', { token: env.ingestToken });
    expect(ping.status).toBe(200);
    expect(ping.body).toMatchObject({ name: 'nightly-backup', intervalSeconds: 3600, graceSeconds: 600, status: 'up' });
    const m = monitoringOf(env.server);
    env.clock.advance(3500_000);
    await m.tick();
    expect((await env.server.api('GET', '/api/v1/alerts?source=heartbeat', { token: env.oncall.accessToken })).body.items).toHaveLength(0);
    env.clock.advance(800_000); // 4300 s > 3600 + 600
    await m.tick();
    const missed = (await env.server.api('GET', '/api/v1/alerts?source=heartbeat', { token: env.oncall.accessToken })).body.items as any[];
    expect(missed).toHaveLength(1);
    expect(missed[0]).toMatchObject({ name: 'Heartbeat missed: nightly-backup', severity: 'high', status: 'firing', labels: { heartbeat: 'nightly-backup' } });
    await m.tick(); // no second alert while still missed
    expect((await env.server.api('GET', '/api/v1/alerts?source=heartbeat', { token: env.oncall.accessToken })).body.items).toHaveLength(1);
    const list = (await env.server.api('GET', '/api/v1/integrations/heartbeats', { token: env.oncall.accessToken })).body as any[];
    expect(list[0].status).toBe('missed');
    await env.server.api('GET', '/api/v1/integrations/heartbeat/nightly-backup', { token: env.ingestToken });
    expect((await env.server.api('GET', `/api/v1/alerts/${missed[0].id}`, { token: env.oncall.accessToken })).body.status).toBe('resolved');
    expect((await env.server.api('POST', '/api/v1/integrations/heartbeat/bad%20name', { token: env.ingestToken })).status).toBe(400);
  });
});
