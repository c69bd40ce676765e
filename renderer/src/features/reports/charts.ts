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

/** MTTA and MTTR of each group, in minutes (seconds while every value is under two minutes). */
export function mttConfig(rows: MttRow[], c: ChartColors): ChartConfiguration {
  const longest = Math.max(0, ...rows.flatMap((r) => [r.mttaSeconds ?? 0, r.mttrSeconds ?? 0]));
  const [unit, div] = longest < 120 ? ['s', 1] : ['min', 60];
  const scaled = (s: number | null) => (s === null ? null : Math.round((s / div) * 10) / 10);
  return {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.label),
      datasets: [
        { label: `MTTA (${unit})`, data: rows.map((r) => scaled(r.mttaSeconds)), backgroundColor: c.warn },
        { label: `MTTR (${unit})`, data: rows.map((r) => scaled(r.mttrSeconds)), backgroundColor: c.crit },
      ],
    },
    options: axes(c, unit === 's' ? 'seconds' : 'minutes'),
  };
}
