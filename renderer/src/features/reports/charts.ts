import type { ChartConfiguration } from 'chart.js';
import type { MttRow, OpsReport } from '../../../../shared/api/reports';
import type { ChartColors } from '../dashboard/charts';

const axes = (c: ChartColors, title: string) => ({
  animation: false as const,
  responsive: true,
  maintainAspectRatio: false,
  plugins: { legend: { labels: { color: c.text, boxWidth: 12 } } },
  scales: {
    x: { ticks: { color: c.text }, grid: { color: c.grid } },
    y: { beginAtZero: true, title: { display: true, text: title, color: c.text }, ticks: { color: c.text }, grid: { color: c.grid } },
  },
});

/** Alerts started and pages sent per local day of the range, as bars. */
export function perDayConfig(r: OpsReport, c: ChartColors): ChartConfiguration {
  return {
    type: 'bar',
    data: {
      labels: r.perDay.map((d) => d.day.slice(5)),
      datasets: [
        { label: 'Alerts', data: r.perDay.map((d) => d.alerts), backgroundColor: c.accent },
        { label: 'Pages', data: r.perDay.map((d) => d.pages), backgroundColor: '#8e5bd6' },
      ],
    },
    options: axes(c, 'count'),
  };
}

/** MTTA and MTTR of each group, in minutes. */
export function mttConfig(rows: MttRow[], c: ChartColors): ChartConfiguration {
  const minutes = (s: number | null) => (s === null ? null : Math.round((s / 60) * 10) / 10);
  return {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.label),
      datasets: [
        { label: 'MTTA (min)', data: rows.map((r) => minutes(r.mttaSeconds)), backgroundColor: c.warn },
        { label: 'MTTR (min)', data: rows.map((r) => minutes(r.mttrSeconds)), backgroundColor: c.crit },
      ],
    },
    options: axes(c, 'minutes'),
  };
}
