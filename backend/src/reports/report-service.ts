import { sql, type Kysely } from 'kysely';
import type { Report, ReportType } from '../../../shared/api/reports';
import type { Database } from '../platform/db/schema';
import type { Clock } from '../platform/clock';
import type { MetricStore } from '../monitoring/metric-store';

const DAY = 86_400_000;

const mean = (xs: number[]) => (xs.length ? Math.round((xs.reduce((s, x) => s + x, 0) / xs.length / 1000) * 10) / 10 : null);
function countBy<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + 1;
  return out;
}

/**
 * Daily and weekly operations reports: alerts by severity and source, MTTA and MTTR, incidents,
 * health-check uptime, ticket volume and SLA compliance (when the ticket tables exist).
 */
export class ReportService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly metrics: MetricStore,
  ) {}

  async generate(type: ReportType, to = this.clock.now()): Promise<Report> {
    const from = to - (type === 'daily' ? DAY : 7 * DAY);
    const alerts = await this.db.selectFrom('alerts').select(['severity', 'source', 'starts_at', 'acked_at', 'resolved_at']).where('starts_at', '>=', from).where('starts_at', '<', to).execute();
    const acked = alerts.filter((a) => a.acked_at !== null && a.acked_at < to);
    const resolved = alerts.filter((a) => a.resolved_at !== null && a.resolved_at < to);
    const incidents = await this.db.selectFrom('incidents').select(['severity', 'state', 'detected_at', 'resolved_at', 'response_breached']).where('detected_at', '>=', from).where('detected_at', '<', to).execute();
    const resolvedIncidents = incidents.filter((i) => i.resolved_at !== null);
    const uptime = (await this.metrics.average('health_up', from, to))
      .map((s) => ({ check: s.labels.check ?? '?', percent: Math.round(s.mean * 100_000) / 1000, samples: s.samples }))
      .sort((a, b) => a.check.localeCompare(b.check));
    return {
      type,
      from,
      to,
      generatedAt: this.clock.now(),
      alerts: {
        total: alerts.length,
        bySeverity: countBy(alerts, (a) => a.severity),
        bySource: countBy(alerts, (a) => a.source),
        acknowledged: acked.length,
        resolved: resolved.length,
        mttaSeconds: mean(acked.map((a) => a.acked_at! - a.starts_at)),
        mttrSeconds: mean(resolved.map((a) => a.resolved_at! - a.starts_at)),
      },
      incidents: {
        total: incidents.length,
        bySeverity: countBy(incidents, (i) => i.severity),
        byState: countBy(incidents, (i) => i.state),
        responseBreaches: incidents.filter((i) => i.response_breached === 1).length,
        mttrSeconds: mean(resolvedIncidents.map((i) => i.resolved_at! - i.detected_at)),
      },
      uptime,
      tickets: await this.tickets(from, to),
    };
  }

  /**
   * Ticket figures are read only if the tickets domain's table is there (it is built separately):
   * created and resolved counts, and SLA compliance from its resolution deadline when it has one.
   */
  private async tickets(from: number, to: number): Promise<Report['tickets']> {
    const none = (note: string): Report['tickets'] => ({ available: false, note, created: 0, resolved: 0, slaCompliancePercent: null });
    const tables = await this.db.introspection.getTables();
    const table = tables.find((t) => t.name === 'tickets');
    if (!table) return none('no tickets table in this database yet; ticket figures are zero');
    const cols = new Set(table.columns.map((c) => c.name));
    if (!cols.has('created_at')) return none('tickets table has no created_at column; ticket figures are zero');
    try {
      const created = await sql<{ n: number }>`select count(*) as n from tickets where created_at >= ${from} and created_at < ${to}`.execute(this.db);
      let resolvedCount = 0;
      let compliance: number | null = null;
      if (cols.has('resolved_at') && cols.has('status')) {
        // When it was resolved: resolved_at, else closed_at / updated_at for rows that lack it.
        const at = sql.join([sql.ref('resolved_at'), ...['closed_at', 'updated_at'].filter((c) => cols.has(c)).map((c) => sql.ref(c))]);
        const resolvedIn = sql`status in ('resolved', 'closed') and coalesce(${at}) >= ${from} and coalesce(${at}) < ${to}`;
        const r = await sql<{ n: number }>`select count(*) as n from tickets where ${resolvedIn}`.execute(this.db);
        resolvedCount = Number(r.rows[0]?.n ?? 0);
        // Compliant = resolved without breaching the resolution (and first-response) SLA. The tickets
        // domain records breaches as *_breached_at; otherwise the resolution deadline is compared.
        const breachCols = ['resolution_breached_at', 'response_breached_at'].filter((c) => cols.has(c));
        const dueCol = ['resolution_due_at', 'sla_resolution_due_at', 'resolve_by'].find((c) => cols.has(c));
        if (resolvedCount > 0 && (breachCols.length || dueCol)) {
          const met = breachCols.length
            ? await sql<{ n: number }>`select count(*) as n from tickets where ${resolvedIn} and ${sql.join(breachCols.map((c) => sql`${sql.ref(c)} is null`), sql` and `)}`.execute(this.db)
            : await sql<{ n: number }>`select count(*) as n from tickets where ${resolvedIn} and coalesce(${at}) <= ${sql.ref(dueCol!)}`.execute(this.db);
          compliance = Math.round((Number(met.rows[0]?.n ?? 0) / resolvedCount) * 1000) / 10;
        }
      }
      return { available: true, note: compliance === null ? 'no tickets resolved in the period: SLA compliance not computed' : null, created: Number(created.rows[0]?.n ?? 0), resolved: resolvedCount, slaCompliancePercent: compliance };
    } catch (err) {
      return none(`tickets table could not be read (${(err as Error).message}); ticket figures are zero`);
    }
  }
}

export function reportToCsv(r: Report): string {
  const rows: (string | number | null)[][] = [['section', 'key', 'value']];
  rows.push(['period', 'type', r.type], ['period', 'from', new Date(r.from).toISOString()], ['period', 'to', new Date(r.to).toISOString()]);
  rows.push(['alerts', 'total', r.alerts.total], ['alerts', 'acknowledged', r.alerts.acknowledged], ['alerts', 'resolved', r.alerts.resolved]);
  rows.push(['alerts', 'mtta_seconds', r.alerts.mttaSeconds], ['alerts', 'mttr_seconds', r.alerts.mttrSeconds]);
  for (const [k, v] of Object.entries(r.alerts.bySeverity)) rows.push(['alerts_by_severity', k, v]);
  for (const [k, v] of Object.entries(r.alerts.bySource)) rows.push(['alerts_by_source', k, v]);
  rows.push(['incidents', 'total', r.incidents.total], ['incidents', 'response_breaches', r.incidents.responseBreaches], ['incidents', 'mttr_seconds', r.incidents.mttrSeconds]);
  for (const [k, v] of Object.entries(r.incidents.bySeverity)) rows.push(['incidents_by_severity', k, v]);
  for (const [k, v] of Object.entries(r.incidents.byState)) rows.push(['incidents_by_state', k, v]);
  for (const u of r.uptime) rows.push(['uptime_percent', u.check, u.percent]);
  rows.push(['tickets', 'available', String(r.tickets.available)], ['tickets', 'created', r.tickets.created], ['tickets', 'resolved', r.tickets.resolved], ['tickets', 'sla_compliance_percent', r.tickets.slaCompliancePercent]);
  const cell = (v: string | number | null) => {
    if (v === null) return '';
    // A text cell a spreadsheet would run as a formula gets a leading apostrophe (numbers stay numbers).
    const text = typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return rows.map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

export function reportToHtml(r: Report): string {
  const esc = (s: unknown) => String(s ?? '—').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const table = (title: string, rows: [string, unknown][]) =>
    `<h2>${esc(title)}</h2><table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>OpsDesk ${r.type} report</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1em}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left}</style></head><body>
<h1>OpsDesk ${esc(r.type)} report</h1><p>${esc(new Date(r.from).toISOString())} – ${esc(new Date(r.to).toISOString())}</p>
${table('Alerts', [['Total', r.alerts.total], ['Acknowledged', r.alerts.acknowledged], ['Resolved', r.alerts.resolved], ['MTTA (s)', r.alerts.mttaSeconds], ['MTTR (s)', r.alerts.mttrSeconds]])}
${table('Alerts by severity', Object.entries(r.alerts.bySeverity))}
${table('Alerts by source', Object.entries(r.alerts.bySource))}
${table('Incidents', [['Total', r.incidents.total], ['Response breaches', r.incidents.responseBreaches], ['MTTR (s)', r.incidents.mttrSeconds], ...Object.entries(r.incidents.bySeverity).map(([k, v]) => [`Severity ${k}`, v] as [string, unknown])])}
${table('Uptime of health checks (%)', r.uptime.map((u) => [u.check, u.percent]))}
${table('Tickets', [['Created', r.tickets.created], ['Resolved', r.tickets.resolved], ['SLA compliance (%)', r.tickets.slaCompliancePercent], ['Note', r.tickets.note]])}
</body></html>
`;
}
