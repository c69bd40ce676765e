import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test-support/harness';
import { startMonitoringServer, type MonitoringTestEnv, monitoringOf } from '../../test-support/monitoring';
import { generateReportCommand } from './generate-report-command';

describe.each(DATABASES)('reports on %s', (kind) => {
  let env: MonitoringTestEnv;
  let t0: number;

  beforeAll(async () => {
    env = await startMonitoringServer(kind);
    const m = monitoringOf(env.server);
    const who = { id: env.oncall.id, email: 'oncall@example.com', ip: null };
    t0 = env.clock.now();
    // A known day: three alerts, two acknowledged and resolved, one incident, health samples.
    const [a] = await m.alerts.raise([{ source: 'generic', scope: 'r', name: 'A', severity: 'critical', labels: { n: 'a' } }]);
    env.clock.advance(60_000);
    await m.alerts.acknowledge(who, a!.alert.id);
    env.clock.advance(240_000);
    await m.alerts.resolve(who, a!.alert.id);
    env.clock.set(t0 + 600_000);
    const [b] = await m.alerts.raise([{ source: 'alertmanager', scope: 'r', name: 'B', severity: 'high', labels: { n: 'b' } }]);
    await m.alerts.raise([{ source: 'generic', scope: 'r', name: 'C', severity: 'low', labels: { n: 'c' } }]);
    env.clock.advance(180_000);
    await m.alerts.acknowledge(who, b!.alert.id);
    env.clock.advance(720_000);
    await m.alerts.resolve(who, b!.alert.id);
    const inc = await m.incidents.create(who, { title: 'Outage', severity: 'critical', alertIds: [], ticketIds: [] });
    for (const s of ['acknowledged', 'diagnosing', 'mitigating'] as const) await m.incidents.transition(who, inc.id, s);
    env.clock.advance(1_800_000);
    await m.incidents.transition(who, inc.id, 'resolved');
    // Tickets through the tickets domain's own API: three created, two resolved within SLA.
    const api = (method: string, url: string, body?: unknown) => env.server.api(method, `/api/v1${url}`, { token: env.admin.accessToken, body });
    const queue = await api('POST', '/queues', { name: 'Reports' });
    expect(queue.status).toBe(201);
    for (let i = 0; i < 3; i++) {
      const t = await api('POST', '/tickets', { queueId: queue.body.id, subject: `Printer ${i}`, requester: { name: 'R', email: 'r@example.com' }, priority: 'low' });
      expect(t.status).toBe(201);
      if (i < 2) {
        const patched = await api('PATCH', `/tickets/${t.body.id}`, { status: 'resolved', version: t.body.version });
        expect(patched.status, JSON.stringify(patched.body)).toBe(200);
      }
    }
    for (const [i, up] of [1, 1, 1, 0].entries()) {
      await m.store.write([{ name: 'health_up', labels: { check: 'api' }, value: up }, { name: 'health_up', labels: { check: 'database' }, value: 1 }], t0 + i * 60_000);
    }
  });
  afterAll(() => env?.server.dispose());

  it('counts alerts by severity and source, MTTA, MTTR, incidents and uptime', async () => {
    const res = await env.server.api('GET', `/api/v1/reports/daily?to=${t0 + 3_600_000}`, { token: env.oncall.accessToken });
    expect(res.status).toBe(200);
    const r = res.body;
    expect(r).toMatchObject({ type: 'daily', from: t0 + 3_600_000 - 86_400_000, to: t0 + 3_600_000 });
    expect(r.alerts).toEqual({
      total: 3,
      bySeverity: { critical: 1, high: 1, low: 1 },
      bySource: { generic: 2, alertmanager: 1 },
      acknowledged: 2,
      resolved: 2,
      mttaSeconds: 120, // (60 + 180) / 2
      mttrSeconds: 600, // (300 + 900) / 2
    });
    expect(r.incidents).toMatchObject({ total: 1, bySeverity: { critical: 1 }, byState: { resolved: 1 }, responseBreaches: 0, mttrSeconds: 1800 });
    expect(r.uptime).toEqual([
      { check: 'api', percent: 75, samples: 4 },
      { check: 'database', percent: 100, samples: 4 },
    ]);
    expect(r.tickets).toEqual({ available: true, note: null, created: 3, resolved: 2, slaCompliancePercent: 100 });
  });

  it('renders CSV and HTML, and weekly covers seven days', async () => {
    const csv = await env.server.api('GET', `/api/v1/reports/weekly?format=csv&to=${t0 + 3_600_000}`, { token: env.oncall.accessToken });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.body).toContain('section,key,value');
    expect(csv.body).toContain('alerts,mtta_seconds,120');
    expect(csv.body).toContain('uptime_percent,api,75');
    const html = await env.server.api('GET', `/api/v1/reports/daily?format=html&to=${t0 + 3_600_000}`, { token: env.oncall.accessToken });
    expect(html.body).toContain('<h1>OpsDesk daily report</h1>');
    const weekly = await env.server.api('GET', `/api/v1/reports/weekly?to=${t0 + 3_600_000}`, { token: env.oncall.accessToken });
    expect(weekly.body.to - weekly.body.from).toBe(7 * 86_400_000);
    expect((await env.server.api('GET', '/api/v1/reports/monthly', { token: env.oncall.accessToken })).status).toBe(400);
    expect((await env.server.api('GET', '/api/v1/reports/daily?format=pdf', { token: env.oncall.accessToken })).status).toBe(400);
  });

  it('generate-report runs from the CLI', async () => {
    const lines: string[] = [];
    const code = await generateReportCommand.run({ config: env.server.config, values: { type: 'weekly', format: 'csv' }, positionals: [], out: (l) => lines.push(l), err: () => {}, stdin: async () => '' });
    expect(code).toBe(0);
    expect(lines.join('\n')).toMatch(/^section,key,value\nperiod,type,weekly/);
    await expect(generateReportCommand.run({ config: env.server.config, values: { type: 'yearly', format: 'json' }, positionals: [], out: () => {}, err: () => {}, stdin: async () => '' })).rejects.toThrow(/daily or weekly/);
  });
});
