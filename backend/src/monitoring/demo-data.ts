import type { Services } from '../app/services';

/** A few alerts in each state and one incident, so the monitoring screens have something to show. */
export async function seedMonitoringDemo(ctx: Pick<Services, 'database' | 'users' | 'monitoringRounds' | 'alerts' | 'incidents'>, log: (line: string) => void): Promise<void> {
  const m = ctx;
  await ctx.monitoringRounds.init();
  const existing = await ctx.database.db.selectFrom('alerts').select('id').limit(1).execute();
  if (existing.length) {
    log('alerts exist; monitoring demo data kept');
    return;
  }
  const actor = { id: null, email: 'seed-demo', ip: null };
  const raised = await m.alerts.raise(
    [
      { source: 'rule', scope: 'demo', name: 'High CPU usage', severity: 'medium', summary: 'High CPU usage: 78% (threshold 70%)', labels: { host: 'app-1', metric: 'host_cpu_percent' }, value: 78 },
      { source: 'alertmanager', scope: 'demo', name: 'PostgresReplicationLag', severity: 'high', summary: 'Replica lag above 10 ms for 5 minutes', labels: { instance: 'db-2:9187', job: 'postgres' } },
      { source: 'grafana', scope: 'demo', name: 'API latency p95', severity: 'critical', summary: 'p95 above 5 s on /api/v1/tickets', labels: { service: 'api' }, value: 5.4 },
      { source: 'heartbeat', scope: 'demo', name: 'Heartbeat missed: nightly-backup', severity: 'high', summary: 'No heartbeat from nightly-backup for 3720 s', labels: { heartbeat: 'nightly-backup' } },
      { source: 'generic', scope: 'demo', name: 'Certificate expiring', severity: 'low', summary: 'TLS certificate for helpdesk.example.com expires in 20 days', labels: { domain: 'helpdesk.example.com' } },
    ],
    actor,
  );
  const oncall = await ctx.users.byEmail('oncall@opsdesk.local');
  const ids = raised.map((r) => r.alert.id);
  if (oncall) {
    const who = { id: oncall.id, email: oncall.email, ip: null };
    await m.alerts.acknowledge(who, ids[1]!);
    await m.alerts.addNote(who, ids[1]!, 'Replica is catching up after the vacuum; watching it.');
    const incident = await m.incidents.create(who, { title: 'API slow for ticket lists', severity: 'high', alertIds: [ids[2]!], ticketIds: [] });
    await m.incidents.transition(who, incident.id, 'acknowledged');
    await m.incidents.transition(who, incident.id, 'diagnosing', 'Slow query on tickets by queue');
  }
  await m.alerts.resolve(actor, ids[4]!, 'renewed');
  log(`monitoring: ${ids.length} alerts, 1 incident`);
}
