import { DateTime } from 'luxon';
import type { ReportPeriod } from '../../../shared/api/reports';
import { AppError } from '../platform/http/errors';

/** The longest custom range (days): a quarter. */
export const MAX_CUSTOM_DAYS = 92;

export interface ReportRange {
  period: ReportPeriod;
  timeZone: string;
  from: number;
  to: number;
  label: string;
  /** Each local day of the range: its date and start/end (DST days are 23 or 25 hours). */
  days: { day: string; from: number; to: number }[];
}

const invalid = (message: string) => new AppError('bad_request', message);

/** Checks an IANA zone name; a clear 400 for a name luxon does not know. */
export function checkZone(tz: string): string {
  if (!DateTime.local().setZone(tz).isValid) throw invalid(`unknown time zone "${tz}"`);
  return tz;
}

function day(date: string, tz: string, what: string): DateTime {
  const d = DateTime.fromISO(date, { zone: tz });
  if (!d.isValid) throw invalid(`${what} "${date}" is not a valid date`);
  return d.startOf('day');
}

function daysOf(start: DateTime, end: DateTime): ReportRange['days'] {
  const out: ReportRange['days'] = [];
  for (let d = start; d < end; d = d.plus({ days: 1 })) out.push({ day: d.toISODate()!, from: d.toMillis(), to: d.plus({ days: 1 }).toMillis() });
  return out;
}

/**
 * The range a report covers, in the reader's time zone: a local calendar day, the ISO week
 * (Monday 00:00 to the next Monday) containing `date`, or the custom days `from`..`to` inclusive.
 */
export function reportRange(q: { period: ReportPeriod; date?: string; from?: string; to?: string; tz: string }, now: number): ReportRange {
  const tz = checkZone(q.tz);
  const anchor = q.date ? day(q.date, tz, 'date') : DateTime.fromMillis(now, { zone: tz }).startOf('day');
  let start: DateTime;
  let end: DateTime;
  let label: string;
  if (q.period === 'daily') {
    start = anchor;
    end = anchor.plus({ days: 1 });
    label = start.toISODate()!;
  } else if (q.period === 'weekly') {
    start = anchor.startOf('week');
    end = start.plus({ weeks: 1 });
    label = `${start.toISOWeekDate()!.slice(0, 8)} (${start.toFormat('LLL d')} – ${end.minus({ days: 1 }).toFormat('LLL d')})`;
  } else {
    if (!q.from || !q.to) throw invalid('a custom range needs from and to (YYYY-MM-DD)');
    start = day(q.from, tz, 'from');
    const last = day(q.to, tz, 'to');
    if (last < start) throw invalid('to must not be before from');
    end = last.plus({ days: 1 });
    if (end.diff(start, 'days').days > MAX_CUSTOM_DAYS + 0.5) throw invalid(`a custom range is at most ${MAX_CUSTOM_DAYS} days`);
    label = `${start.toISODate()} – ${last.toISODate()}`;
  }
  return { period: q.period, timeZone: tz, from: start.toMillis(), to: end.toMillis(), label, days: daysOf(start, end) };
}

/**
 * The latest complete day or week in `tz` whose email is due at `now`: a period is due from `hour`
 * local time on the day after it ends (until then, the period before it is the latest due).
 */
export function lastDuePeriod(period: 'daily' | 'weekly', tz: string, hour: number, now: number): ReportRange {
  const local = DateTime.fromMillis(now, { zone: tz });
  const unit = period === 'daily' ? 'day' : 'week';
  // The current period began at `current`; the one before it is due from `current` + hour.
  let current = local.startOf(unit);
  if (local < current.set({ hour })) current = current.minus(unit === 'day' ? { days: 1 } : { weeks: 1 });
  const start = current.minus(unit === 'day' ? { days: 1 } : { weeks: 1 });
  return reportRange({ period, date: start.toISODate()!, tz }, now);
}
