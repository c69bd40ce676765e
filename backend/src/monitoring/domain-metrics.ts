import { sql, type Kysely } from 'kysely';
import { Gauge, type Registry } from 'prom-client';
import type { Database } from '../platform/db/schema';

/**
 * OpsDesk's own domain metrics on `/metrics`, read from the database at each scrape (Prometheus
 * conventions: base units, `_total` only for counters, timestamps in seconds):
 * alerts firing by severity, failed deliveries by channel, the job backlog by queue and runbook,
 * the last successful backup's time, and build info.
 */
export function registerDomainMetrics(registry: Registry, db: Kysely<Database>, build: { version: string; queue: () => string }): void {
  new Gauge({
    name: 'opsdesk_build_info',
    help: 'Build information (always 1)',
    labelNames: ['version', 'node_version'] as const,
    registers: [registry],
    collect() {
      this.set({ version: build.version, node_version: process.version }, 1);
    },
  });
  new Gauge({
    name: 'opsdesk_alerts_firing',
    help: 'Open (firing or acknowledged) alerts by severity',
    labelNames: ['severity'] as const,
    registers: [registry],
    async collect() {
      const rows = await db.selectFrom('alerts').select(['severity', (eb) => eb.fn.countAll<number>().as('n')]).where(sql<boolean>`status <> 'resolved'`).groupBy('severity').execute();
      this.reset();
      for (const sev of ['low', 'medium', 'high', 'critical']) this.set({ severity: sev }, Number(rows.find((r) => r.severity === sev)?.n ?? 0));
    },
  });
  new Gauge({
    name: 'opsdesk_notification_deliveries_failed',
    help: 'Notification deliveries that failed for good, by channel',
    labelNames: ['channel'] as const,
    registers: [registry],
    async collect() {
      const rows = await db.selectFrom('notification_deliveries').select(['channel', (eb) => eb.fn.countAll<number>().as('n')]).where('status', '=', 'failed').groupBy('channel').execute();
      this.reset();
      for (const r of rows) this.set({ channel: r.channel }, Number(r.n));
    },
  });
  new Gauge({
    name: 'opsdesk_job_backlog',
    help: 'Runbook jobs queued and not started, by queue and runbook',
    labelNames: ['queue', 'runbook'] as const,
    registers: [registry],
    async collect() {
      const rows = await db.selectFrom('jobs').select(['runbook', (eb) => eb.fn.countAll<number>().as('n')]).where('status', '=', 'queued').groupBy('runbook').execute();
      this.reset();
      for (const r of rows) this.set({ queue: build.queue(), runbook: r.runbook }, Number(r.n));
    },
  });
  new Gauge({
    name: 'opsdesk_backup_last_success_timestamp_seconds',
    help: 'When the last successful backup of each kind was taken (Unix seconds; absent before the first)',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      const rows = await db.selectFrom('backups').select(['kind', (eb) => eb.fn.max('created_at').as('at')]).where('status', '=', 'ok').groupBy('kind').execute();
      this.reset();
      for (const r of rows) if (r.at != null) this.set({ kind: r.kind }, Number(r.at) / 1000);
    },
  });
}
