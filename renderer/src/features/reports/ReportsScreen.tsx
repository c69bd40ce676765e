import { useEffect, useMemo, type ReactNode } from 'react';
import type { MttRow, OpsReport, ReportPeriod } from '../../../../shared/api/reports';
import { DataTable, type Column } from '../../ui/DataTable';
import { ErrorBox, StateView } from '../../ui/feedback';
import { useAction } from '../../ui/hooks';
import { toast } from '../../ui/toasts';
import { formatDuration } from '../../lib/format';
import { ChartCanvas } from '../dashboard/ChartCanvas';
import { colorsNow } from '../dashboard/charts';
import { currentUser, useSession } from '../auth/session';
import { mttConfig, perDayConfig } from './charts';
import { exportReport, loadReport, openReports, setQuery, step, useReports } from './slice';
import { ReportSchedulesPanel } from './ReportSchedulesPanel';
import './reports.css';

const PERIODS: [ReportPeriod, string][] = [
  ['daily', 'Daily'],
  ['weekly', 'Weekly'],
  ['custom', 'Custom'],
];

const secs = (s: number | null) => (s === null ? '—' : formatDuration(s * 1000));
const num = () => ({ className: 'num' });

function mttColumns(first: string): Column<MttRow>[] {
  return [
    { id: 'label', header: first, cell: (r) => r.label },
    { id: 'alerts', header: 'Alerts', cell: (r) => r.alerts, td: num },
    { id: 'ack', header: 'Acknowledged', cell: (r) => r.acknowledged, td: num },
    { id: 'res', header: 'Resolved', cell: (r) => r.resolved, td: num },
    { id: 'mtta', header: 'MTTA', cell: (r) => secs(r.mttaSeconds), td: num },
    { id: 'mttr', header: 'MTTR', cell: (r) => secs(r.mttrSeconds), td: num },
  ];
}

type Person = OpsReport['pagesPerPerson'][number];
const PEOPLE: Column<Person>[] = [
  { id: 'name', header: 'Person', cell: (p) => p.name },
  { id: 'pages', header: 'Pages', cell: (p) => p.pages, td: num },
  { id: 'alerts', header: 'Alerts', cell: (p) => p.alerts, td: num },
  { id: 'notified', header: 'Notifications sent', cell: (p) => p.notifications, td: num },
  { id: 'ack', header: 'Acknowledged', cell: (p) => p.acknowledged, td: num },
];
type Queue = OpsReport['slaByQueue'][number];
const QUEUES: Column<Queue>[] = [
  { id: 'queue', header: 'Queue', cell: (q) => q.queue },
  { id: 'created', header: 'Created', cell: (q) => q.created, td: num },
  { id: 'resolved', header: 'Resolved', cell: (q) => q.resolved, td: num },
  { id: 'met', header: 'Within SLA', cell: (q) => q.met, td: num },
  { id: 'breached', header: 'Breaches', cell: (q) => q.breached, td: num },
  { id: 'pct', header: 'Compliance', cell: (q) => (q.compliancePercent === null ? '—' : `${q.compliancePercent} %`), td: num },
];
type Source = OpsReport['bySource'][number];
const SOURCES: Column<Source>[] = [
  { id: 'source', header: 'Source', cell: (s) => s.source },
  { id: 'alerts', header: 'Alerts', cell: (s) => s.alerts, td: num },
];

/** A titled table, or a line saying the range has nothing for it. */
function Section<R>({ title, rows, columns, rowKey, empty, wide }: { title: string; rows: R[]; columns: Column<R>[]; rowKey: (r: R) => string; empty: string; wide?: boolean }) {
  const id = `rep-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <section className={`report-section${wide ? ' wide' : ''}`} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {rows.length ? <DataTable columns={columns} rows={rows} rowKey={rowKey} aria-labelledby={id} /> : <p className="muted">{empty}</p>}
    </section>
  );
}

function Chart({ title, config }: { title: string; config: ReturnType<typeof perDayConfig> | null }): ReactNode {
  return (
    <figure className="chart-card" style={{ margin: 0 }}>
      <h3>{title}</h3>
      {config ? (
        <div className="canvas-wrap">
          <ChartCanvas config={config} label={title} />
        </div>
      ) : (
        <p className="muted">No alerts in this range.</p>
      )}
    </figure>
  );
}

function Report({ r }: { r: OpsReport }) {
  const c = colorsNow();
  const charts = useMemo(() => ({ days: perDayConfig(r, c), mtt: r.bySeverity.length ? mttConfig(r.bySeverity, c) : null }), [r]); // eslint-disable-line react-hooks/exhaustive-deps
  const s = r.summary;
  return (
    <>
      <div className="report-kpis" data-testid="report-summary">
        <div className="kpi"><span className="muted">Alerts</span><b>{s.alerts}</b></div>
        <div className="kpi"><span className="muted">Acknowledged</span><b>{s.acknowledged}</b></div>
        <div className="kpi"><span className="muted">Resolved</span><b>{s.resolved}</b></div>
        <div className="kpi"><span className="muted">MTTA</span><b>{secs(s.mttaSeconds)}</b></div>
        <div className="kpi"><span className="muted">MTTR</span><b>{secs(s.mttrSeconds)}</b></div>
      </div>
      <div className="charts">
        <Chart title="Alerts and pages per day" config={charts.days} />
        <Chart title="MTTA / MTTR by severity" config={charts.mtt} />
      </div>
      <div className="report-grid">
        <Section title="By severity" rows={r.bySeverity} columns={mttColumns('Severity')} rowKey={(x) => x.key} empty="No alerts in this range." />
        <Section title="By escalation policy" rows={r.byPolicy} columns={mttColumns('Policy')} rowKey={(x) => x.key} empty="No alerts in this range." />
        <Section title="By schedule" rows={r.bySchedule} columns={mttColumns('Schedule')} rowKey={(x) => x.key} empty="No alert in this range followed a policy that pages a schedule." />
        <Section title="Alert volume by source" rows={r.bySource} columns={SOURCES} rowKey={(x) => x.source} empty="No alerts in this range." />
        <Section title="Most frequent alerts" rows={r.topAlerts} columns={mttColumns('Alert')} rowKey={(x) => x.key} empty="No alerts in this range." wide />
        <Section title="On-call load (pages per person)" rows={r.pagesPerPerson} columns={PEOPLE} rowKey={(x) => x.userId} empty="Nobody was paged in this range." />
        <Section title="SLA compliance per queue" rows={r.slaByQueue} columns={QUEUES} rowKey={(x) => x.queueId} empty="No tickets were created or resolved in this range." />
      </div>
    </>
  );
}

function RangePicker() {
  const q = useReports((s) => s.query);
  return (
    <div className="row wrap" role="group" aria-label="Report range">
      <div className="row" role="radiogroup" aria-label="Period">
        {PERIODS.map(([p, label]) => (
          <button key={p} role="radio" aria-checked={q.period === p} className={q.period === p ? 'primary' : ''} onClick={() => void setQuery({ period: p })}>
            {label}
          </button>
        ))}
      </div>
      {q.period === 'custom' ? (
        <>
          <label className="inline">From <input type="date" value={q.from} max={q.to} onChange={(e) => e.target.value && void setQuery({ from: e.target.value })} /></label>
          <label className="inline">To <input type="date" value={q.to} min={q.from} onChange={(e) => e.target.value && void setQuery({ to: e.target.value })} /></label>
        </>
      ) : (
        <>
          <button aria-label={q.period === 'weekly' ? 'Previous week' : 'Previous day'} onClick={() => void step(-1)}>‹</button>
          <label className="inline">{q.period === 'weekly' ? 'Week of' : 'Day'} <input type="date" value={q.date} onChange={(e) => e.target.value && void setQuery({ date: e.target.value })} /></label>
          <button aria-label={q.period === 'weekly' ? 'Next week' : 'Next day'} onClick={() => void step(1)}>›</button>
        </>
      )}
      <label className="inline">Time zone <input value={q.tz} size={18} onChange={(e) => useReports.setState((s) => ({ query: { ...s.query, tz: e.target.value } }))} onBlur={() => void loadReport()} onKeyDown={(e) => e.key === 'Enter' && void loadReport()} /></label>
    </div>
  );
}

export default function ReportsScreen() {
  const res = useReports((s) => s.report);
  const isAdmin = useSession((s) => currentUser(s)?.role === 'admin');
  const exporting = useAction();
  useEffect(() => void openReports(), []);
  const save = (format: 'csv' | 'html') => exporting.run(async () => toast(`Saved ${await exportReport(format)}`));
  return (
    <section aria-labelledby="reports-title" className="reports">
      <div className="page-head">
        <h1 id="reports-title">Reports</h1>
        {res.data && <span className="muted" data-testid="report-range">{res.data.label} · {res.data.timeZone}</span>}
        <div className="row">
          <button onClick={() => void save('csv')} disabled={!res.data || exporting.busy}>Export CSV</button>
          <button onClick={() => void save('html')} disabled={!res.data || exporting.busy}>Export HTML</button>
        </div>
      </div>
      <RangePicker />
      <ErrorBox error={exporting.error} />
      {res.data && res.error && <ErrorBox error={res.error} />}
      <StateView res={res} retry={() => void loadReport()} empty="" isEmpty={() => false}>
        {(r) => <Report r={r} />}
      </StateView>
      {isAdmin && <ReportSchedulesPanel />}
    </section>
  );
}
