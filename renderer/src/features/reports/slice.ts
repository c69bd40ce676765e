import { create } from 'zustand';
import { DateTime } from 'luxon';
import type { OpsReport, ReportPeriod, ReportSchedule, ReportScheduleInput } from '../../../../shared/api/reports';
import { call } from '../../api';
import { loadInto, notLoaded, type Loadable } from '../../ui/loadable';

/** The reader's time zone (the browser's, which follows the OS). */
export const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export interface ReportsQuery {
  period: ReportPeriod;
  /** The day of a daily report, any day of a weekly report's week. */
  date: string;
  /** A custom range's first and last day. */
  from: string;
  to: string;
  tz: string;
}

interface ReportsState {
  query: ReportsQuery;
  report: Loadable<OpsReport>;
  schedules: Loadable<ReportSchedule[]>;
}

function today(tz: string): string {
  return DateTime.now().setZone(tz).toISODate() ?? DateTime.utc().toISODate()!;
}

function initialQuery(): ReportsQuery {
  const tz = browserZone();
  const d = today(tz);
  return { period: 'daily', date: d, from: DateTime.fromISO(d).minus({ days: 6 }).toISODate()!, to: d, tz };
}

export const useReports = create<ReportsState>(() => ({ query: initialQuery(), report: notLoaded(), schedules: notLoaded() }));

/** The query the server reads: only the fields the period uses. */
function rangeQuery(q: ReportsQuery) {
  return q.period === 'custom' ? { period: q.period, from: q.from, to: q.to, tz: q.tz } : { period: q.period, date: q.date, tz: q.tz };
}

export function loadReport({ fresh = false } = {}): Promise<void> {
  const q = useReports.getState().query;
  return loadInto(useReports, 'report', () => call('api.reports.range', { query: rangeQuery(q) }), { fresh });
}

/** The screen opens on today in the reader's time zone, in the period last chosen (the palette may choose it). */
export function openReports(): Promise<void> {
  useReports.setState((s) => ({ query: { ...initialQuery(), period: s.query.period } }));
  return loadReport({ fresh: true });
}

/** Chooses the period the screen opens with (palette commands). */
export function choosePeriod(period: ReportPeriod): void {
  useReports.setState((s) => ({ query: { ...s.query, period } }));
}

export function setQuery(patch: Partial<ReportsQuery>): Promise<void> {
  useReports.setState((s) => ({ query: { ...s.query, ...patch } }));
  return loadReport();
}

/** The previous or next day or week. */
export function step(by: -1 | 1): Promise<void> {
  const q = useReports.getState().query;
  const d = DateTime.fromISO(q.date).plus(q.period === 'weekly' ? { weeks: by } : { days: by });
  return setQuery({ date: d.toISODate()! });
}

/** Saves the current range as CSV or HTML (the server escapes formula cells and markup). */
export async function exportReport(format: 'csv' | 'html'): Promise<string> {
  const q = useReports.getState().query;
  const file = await call('api.reports.export', { query: { ...rangeQuery(q), format } });
  const url = URL.createObjectURL(new Blob([file.content], { type: `${file.contentType};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return file.filename;
}

export function loadSchedules({ fresh = false } = {}): Promise<void> {
  return loadInto(useReports, 'schedules', () => call('api.reports.schedules.list'), { fresh });
}

export async function createSchedule(input: ReportScheduleInput): Promise<void> {
  await call('api.reports.schedules.create', { body: input });
  await loadSchedules();
}

export async function setScheduleEnabled(id: string, enabled: boolean): Promise<void> {
  await call('api.reports.schedules.update', { params: { id }, body: { enabled } });
  await loadSchedules();
}

export async function deleteSchedule(id: string): Promise<void> {
  await call('api.reports.schedules.delete', { params: { id } });
  await loadSchedules();
}
