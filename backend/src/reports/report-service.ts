import { sql, type Kysely } from 'kysely';
import type { MttRow, OpsReport, Report, ReportRangeQuery, ReportType } from '../../../shared/api/reports';
import { DEFAULT_POLICY_ID } from '../../../shared/api/escalation';
import type { Database } from '../platform/db/schema';
import type { Clock } from '../platform/clock';
import type { MetricStore } from '../monitoring/metric-store';
import type { PolicyStore } from '../escalation/policy-store';
import { bySource, mttBy, mttBySchedule, pagesPerPerson, perDay, policyKey, slaByQueue, type Span } from './report-queries';
import { reportRange, type ReportRange } from './report-range';

const DAY = 86_400_000;
/** How many of the most frequent alert names a range report lists. */
export const TOP_ALERTS = 10;

function countBy<T>(items: T[], key: (t: T) => string, count: (t: T) => number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + count(i);
  return out;
}
const mean = (xs: number[]) => (xs.length ? Math.round((xs.reduce((s, x) => s + x, 0) / xs.length / 1000) * 10) / 10 : null);
const NONE: Omit<MttRow, 'key' | 'label'> = { alerts: 0, acknowledged: 0, resolved: 0, mttaSeconds: null, mttrSeconds: null };

/**
 * Daily and weekly operations reports: alerts by severity and source, MTTA and MTTR, incidents,
 * health-check uptime, ticket volume and SLA compliance (when the ticket tables exist).
 */
export class ReportService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly metrics: MetricStore,
    private readonly policies: Pick<PolicyStore, 'list'>,
  ) {}

  /** Every alert of the span as one group: the report's headline figures. */
  private async summary(span: Span): Promise<MttRow> {
    const [all] = await mttBy(this.db, span, sql`cast('all' as text)`);
    return { ...NONE, ...all, key: 'all', label: 'All alerts' };
  }

  /**
   * The operations report of a day, week or custom range in the reader's time zone: every figure
   * an aggregate in SQL (the same statements on SQLite and PostgreSQL).
   */
  async range(q: ReportRangeQuery): Promise<OpsReport> {
    return this.forRange(reportRange(q, this.clock.now()));
  }

  async forRange(range: ReportRange): Promise<OpsReport> {
    const policies = await this.policies.list();
    const policy = policyKey(policies.map((p) => p.id), DEFAULT_POLICY_ID);
    const pairs = policies.flatMap((p) => [...new Set(p.levels.flatMap((l) => l.scheduleIds))].map((sid) => [p.id, sid] as [string, string]));
    const [summary, severity, byPolicy, bySchedule, noisiest, sources, days, load, sla, schedules] = await Promise.all([
      this.summary(range),
      mttBy(this.db, range, sql`a.severity`),
      mttBy(this.db, range, policy),
      mttBySchedule(this.db, range, pairs, policy),
      mttBy(this.db, range, sql`a.name`, { limit: TOP_ALERTS }),
      bySource(this.db, range),
      perDay(this.db, range.days),
      pagesPerPerson(this.db, range),
      slaByQueue(this.db, range),
      this.db.selectFrom('oncall_schedules').select(['id', 'name']).execute(),
    ]);
    const policyName = new Map(policies.map((p) => [p.id, p.name]));
    const scheduleName = new Map(schedules.map((s) => [s.id, s.name]));
    return {
      period: range.period,
      timeZone: range.timeZone,
      from: range.from,
      to: range.to,
      label: range.label,
      generatedAt: this.clock.now(),
      summary,
      bySeverity: severity.map((r) => ({ ...r, label: r.key })),
      byPolicy: byPolicy.map((r) => ({ ...r, label: policyName.get(r.key) ?? r.key })),
      bySchedule: bySchedule.map((r) => ({ ...r, label: scheduleName.get(r.key) ?? '(deleted schedule)' })),
      topAlerts: noisiest.map((r) => ({ ...r, label: r.key })),
      bySource: sources,
      perDay: days,
      pagesPerPerson: load,
      slaByQueue: sla,
    };
  }

  async generate(type: ReportType, to = this.clock.now()): Promise<Report> {
    const from = to - (type === 'daily' ? DAY : 7 * DAY);
    const span = { from, to };
    const [summary, severity, sources] = await Promise.all([this.summary(span), mttBy(this.db, span, sql`a.severity`), bySource(this.db, span)]);
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
        total: summary.alerts,
        bySeverity: countBy(severity, (r) => r.key, (r) => r.alerts),
        bySource: countBy(sources, (r) => r.source, (r) => r.alerts),
        acknowledged: summary.acknowledged,
        resolved: summary.resolved,
        mttaSeconds: summary.mttaSeconds,
        mttrSeconds: summary.mttrSeconds,
      },
      incidents: {
        total: incidents.length,
        bySeverity: countBy(incidents, (i) => i.severity, () => 1),
        byState: countBy(incidents, (i) => i.state, () => 1),
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

