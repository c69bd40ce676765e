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
import type { Report } from '../../../../shared/api/reports';
import type { SeriesResponse } from '../../../../shared/ipc';

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

/** The manuals' thresholds: shown until the rules are read (then each panel's lines are its rule's), and to agents. */
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

export function css(name: string): string {
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
  colors: ChartColors,
): ChartConfiguration<'line'> {
  const palette = [colors.accent, '#8e5bd6', '#2a9d8f', '#d06a2b'];
  // Threshold lines span the whole range, so they show even while a new series has few points.
  const minX = data.from;
  const maxX = data.to;
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

export interface ChartColors {
  text: string;
  grid: string;
  accent: string;
  warn: string;
  crit: string;
}

export function colorsNow(): ChartColors {
  return {
    text: css('--text-muted'),
    grid: css('--border'),
    accent: css('--accent'),
    warn: css('--warn'),
    crit: css('--bad'),
  };
}

/** The options of a per-period chart (labels on x); `y` bounds its value axis. */
function periodOptions(c: ChartColors, y: { beginAtZero?: boolean; min?: number; max?: number }) {
  return {
    animation: false as const,
    responsive: true,
    maintainAspectRatio: false,
    plugins: { legend: { labels: { color: c.text } } },
    scales: {
      x: { ticks: { color: c.text }, grid: { color: c.grid } },
      y: { ...y, ticks: { color: c.text }, grid: { color: c.grid } },
    },
  };
}

const reportDay = (r: Report) =>
  new Date(r.to).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });

/** Tickets created and resolved per report period, as bars. */
export function volumeConfig(reports: Report[], c: ChartColors): ChartConfiguration {
  return {
    type: 'bar',
    data: {
      labels: reports.map(reportDay),
      datasets: [
        { label: 'Created', data: reports.map((r) => r.tickets.created), backgroundColor: c.accent },
        { label: 'Resolved', data: reports.map((r) => r.tickets.resolved), backgroundColor: '#2a9d8f' },
      ],
    },
    options: periodOptions(c, { beginAtZero: true }),
  };
}

/** SLA compliance per report period, as a line from 0 to 100 %. */
export function slaConfig(reports: Report[], c: ChartColors): ChartConfiguration {
  return {
    type: 'line',
    data: {
      labels: reports.map(reportDay),
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
    options: periodOptions(c, { min: 0, max: 100 }),
  };
}
