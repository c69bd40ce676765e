import { useEffect, useRef, useState } from 'react';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import type { SeriesResponse } from '../../../../shared/ipc';
import { call, errorMessage, http } from '../../api';

Chart.register(
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  CategoryScale,
  BarController,
  BarElement,
  Filler,
  Legend,
  Tooltip,
);

export const RANGES = {
  '1h': 3600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '90d': 90 * 86_400_000,
} as const;
export type RangeKey = keyof typeof RANGES;

/** The manuals' thresholds (ARCHITECTURE.md): warning and critical lines drawn on each chart. */
export const PANELS: {
  metric: string;
  title: string;
  unit: string;
  scale?: number;
  warn?: number;
  crit?: number;
}[] = [
  { metric: 'host_cpu_percent', title: 'CPU', unit: '%', warn: 70, crit: 90 },
  { metric: 'host_memory_percent', title: 'Memory', unit: '%', warn: 80, crit: 95 },
  { metric: 'host_disk_used_percent', title: 'Disk', unit: '%', warn: 85, crit: 95 },
  { metric: 'http_response_p95_seconds', title: 'Response time p95', unit: 's', warn: 2, crit: 5 },
  { metric: 'http_error_rate_percent', title: 'Error rate', unit: '%', warn: 5, crit: 10 },
  { metric: 'http_requests_per_second', title: 'Throughput', unit: 'req/s' },
];

function css(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function timeLabel(ms: number, range: number): string {
  const d = new Date(ms);
  return range > 2 * 86_400_000
    ? d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
    : d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** Builds a chart.js line configuration: one line per series plus dashed threshold lines. */
export function lineConfig(
  data: SeriesResponse,
  panel: (typeof PANELS)[number],
  range: number,
  colors: { text: string; grid: string; accent: string; warn: string; crit: string },
): ChartConfiguration<'line'> {
  const palette = [colors.accent, '#8e5bd6', '#2a9d8f', '#d06a2b'];
  const xs = data.series.flatMap((s) => s.points.map((p) => p[0]));
  const minX = xs.length ? Math.min(...xs) : data.from;
  const maxX = xs.length ? Math.max(...xs) : data.to;
  const datasets: ChartConfiguration<'line'>['data']['datasets'] = data.series.map((s, i) => ({
    label: Object.values(s.labels).join(' ') || panel.title,
    data: s.points.map((p) => ({ x: p[0], y: p[1] })),
    borderColor: palette[i % palette.length],
    backgroundColor: palette[i % palette.length],
    pointRadius: 0,
    borderWidth: 1.5,
    tension: 0.2,
  }));
  const line = (label: string, y: number, color: string) => ({
    label,
    data: [
      { x: minX, y },
      { x: maxX, y },
    ],
    borderColor: color,
    backgroundColor: color,
    borderDash: [6, 4],
    pointRadius: 0,
    borderWidth: 1.5,
  });
  if (panel.warn != null) datasets.push(line(`warning ${panel.warn}${panel.unit}`, panel.warn, colors.warn));
  if (panel.crit != null) datasets.push(line(`critical ${panel.crit}${panel.unit}`, panel.crit, colors.crit));
  return {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'nearest', intersect: false },
      plugins: {
        legend: { labels: { color: colors.text, boxWidth: 12 } },
        tooltip: { callbacks: { title: (items) => new Date(items[0]?.parsed.x ?? 0).toLocaleString() } },
      },
      scales: {
        x: {
          type: 'linear',
          min: data.from,
          max: data.to,
          ticks: { color: colors.text, maxTicksLimit: 6, callback: (v) => timeLabel(Number(v), range) },
          grid: { color: colors.grid },
        },
        y: {
          beginAtZero: true,
          ticks: { color: colors.text },
          grid: { color: colors.grid },
          ...(panel.unit === '%' && (panel.crit ?? 0) >= 50
            ? { max: 100 }
            : { suggestedMax: panel.crit ? panel.crit * 1.2 : undefined }),
        },
      },
    },
  };
}

function ChartCanvas({ config, label }: { config: ChartConfiguration | null; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);
  useEffect(() => {
    if (!ref.current || !config) return;
    chart.current?.destroy();
    chart.current = new Chart(ref.current, config);
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [config]);
  return <canvas ref={ref} role="img" aria-label={label} data-testid="chart" />;
}

interface ReportTickets {
  to: number;
  tickets: {
    available: boolean;
    note: string | null;
    created: number;
    resolved: number;
    slaCompliancePercent: number | null;
  };
}

export default function Dashboard() {
  const [range, setRange] = useState<RangeKey>('24h');
  const [tick, setTick] = useState(0);
  const [theme, setTheme] = useState(document.documentElement.dataset.theme);
  useEffect(() => {
    const t = setInterval(() => setTick((x) => x + 1), range === '1h' ? 15_000 : 60_000);
    return () => clearInterval(t);
  }, [range]);
  useEffect(() => {
    const mo = new MutationObserver(() => setTheme(document.documentElement.dataset.theme));
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => mo.disconnect();
  }, []);
  return (
    <section aria-labelledby="dash-title">
      <div className="page-head">
        <h1 id="dash-title">Dashboard</h1>
        <div className="row" role="radiogroup" aria-label="Range">
          {(Object.keys(RANGES) as RangeKey[]).map((r) => (
            <button
              key={r}
              role="radio"
              aria-checked={range === r}
              className={range === r ? 'primary' : ''}
              onClick={() => setRange(r)}
            >
              {r}
            </button>
          ))}
        </div>
        <span className="muted">Live: refreshes every {range === '1h' ? '15 s' : 'minute'}</span>
      </div>
      <div className="charts">
        {PANELS.map((p) => (
          <MetricPanel key={p.metric} panel={p} range={range} tick={tick} theme={theme} />
        ))}
        <TicketPanels range={range} tick={tick} theme={theme} />
      </div>
    </section>
  );
}

function colorsNow() {
  return {
    text: css('--text-muted'),
    grid: css('--border'),
    accent: css('--accent'),
    warn: css('--warn'),
    crit: css('--bad'),
  };
}

function MetricPanel({
  panel,
  range,
  tick,
  theme,
}: {
  panel: (typeof PANELS)[number];
  range: RangeKey;
  tick: number;
  theme?: string;
}) {
  const [config, setConfig] = useState<ChartConfiguration | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [empty, setEmpty] = useState(false);
  useEffect(() => {
    let live = true;
    const to = Date.now();
    call('metrics.series', { name: panel.metric, from: to - RANGES[range], to }).then(
      (data) => {
        if (!live) return;
        setEmpty(data.series.every((s) => s.points.length === 0));
        setConfig(lineConfig(data, panel, RANGES[range], colorsNow()) as ChartConfiguration);
        setError(null);
      },
      (e) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [panel, range, tick, theme]);
  return (
    <figure className="chart-card" style={{ margin: 0 }} aria-labelledby={`ch-${panel.metric}`}>
      <h3 id={`ch-${panel.metric}`}>
        {panel.title} <span className="muted">({panel.unit})</span>
      </h3>
      {error && <div className="state error">{error}</div>}
      {!error && !config && (
        <div className="state" role="status">
          <span className="spinner" aria-hidden /> Loading…
        </div>
      )}
      {!error && empty && (
        <p className="muted" style={{ margin: 0 }}>
          No samples in this range yet.
        </p>
      )}
      {!error && config && (
        <div className="canvas-wrap">
          <ChartCanvas config={config} label={`${panel.title} over the last ${range}`} />
        </div>
      )}
    </figure>
  );
}

/** Ticket volume and SLA compliance per day (weekly for 90 d), from the server's reports. */
function TicketPanels({ range, tick, theme }: { range: RangeKey; tick: number; theme?: string }) {
  const [reports, setReports] = useState<ReportTickets[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const weekly = range === '90d';
    const n = weekly ? 13 : 7;
    const step = weekly ? 7 * 86_400_000 : 86_400_000;
    const now = Date.now();
    Promise.all(
      Array.from({ length: n }, (_, i) =>
        http<ReportTickets>('GET', `/reports/${weekly ? 'weekly' : 'daily'}`, undefined, {
          to: now - (n - 1 - i) * step,
        }),
      ),
    ).then(
      (r) => live && (setReports(r), setError(null)),
      (e) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [range, tick]);
  const c = colorsNow();
  const labels = (reports ?? []).map((r) =>
    new Date(r.to).toLocaleDateString(undefined, { month: 'short', day: 'numeric' }),
  );
  const volume: ChartConfiguration | null = reports && {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { label: 'Created', data: reports.map((r) => r.tickets.created), backgroundColor: c.accent },
        { label: 'Resolved', data: reports.map((r) => r.tickets.resolved), backgroundColor: '#2a9d8f' },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { labels: { color: c.text } } },
      scales: {
        x: { ticks: { color: c.text }, grid: { color: c.grid } },
        y: { beginAtZero: true, ticks: { color: c.text }, grid: { color: c.grid } },
      },
    },
  };
  const sla: ChartConfiguration | null = reports && {
    type: 'line',
    data: {
      labels,
      datasets: [
        {
          label: 'SLA compliance %',
          data: reports.map((r) => r.tickets.slaCompliancePercent),
          borderColor: c.accent,
          backgroundColor: c.accent,
          spanGaps: true,
        },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { labels: { color: c.text } } },
      scales: {
        x: { ticks: { color: c.text }, grid: { color: c.grid } },
        y: { min: 0, max: 100, ticks: { color: c.text }, grid: { color: c.grid } },
      },
    },
  };
  const note = reports?.find((r) => !r.tickets.available)?.tickets.note;
  return (
    <>
      {[
        ['Ticket volume', volume],
        ['SLA compliance', sla],
      ].map(([title, cfg]) => (
        <figure key={title as string} className="chart-card" style={{ margin: 0 }}>
          <h3>
            {title as string} <span className="muted">({range === '90d' ? 'per week' : 'per day'})</span>
          </h3>
          {error && <div className="state error">{error}</div>}
          {!error && !reports && (
            <div className="state" role="status">
              <span className="spinner" aria-hidden /> Loading…
            </div>
          )}
          {note && (
            <p className="muted" style={{ margin: 0 }}>
              {note}
            </p>
          )}
          {cfg && (
            <div className="canvas-wrap">
              <ChartCanvas config={cfg as ChartConfiguration} label={title as string} key={`${theme}`} />
            </div>
          )}
        </figure>
      ))}
    </>
  );
}
