import { DateTime } from 'luxon';

/**
 * Business-hours arithmetic, pure and shared: the server computes SLA deadlines with it and the
 * renderer shows countdowns with it, so both agree to the millisecond. Local times are read in
 * the calendar's IANA zone (luxon): a day's hours follow the wall clock through DST changes (an
 * 09:00–17:00 day is 8 h either side of a change; a window across the change is as long as the
 * wall clock makes it), a time inside a spring-forward gap moves forward to the first real instant.
 */

/** One window of a weekday, local wall-clock minutes from midnight: [start, end), end ≤ 1440. */
export interface BusinessWindow {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  day: number;
  start: number;
  end: number;
}

export interface BusinessCalendarRules {
  timeZone: string;
  windows: BusinessWindow[];
  /** Local dates (YYYY-MM-DD) with no business hours. */
  holidays: string[];
}

/** How an SLA clock turns a target into a deadline: 24×7, or a calendar's business hours. */
export interface BusinessTime {
  /** The instant `ms` of business time after `from` (before it when `ms` is negative). */
  add(from: number, ms: number): number;
  /** Business time between `a` and `b`; negative when `b` is before `a`. */
  between(a: number, b: number): number;
  /** Whether the clock runs at `at`. */
  running(at: number): boolean;
}

export const ALWAYS: BusinessTime = {
  add: (from, ms) => from + ms,
  between: (a, b) => b - a,
  running: () => true,
};

/** One local day of a compiled calendar: its first instant, business intervals, and the neighbours' first instants. */
interface Day {
  start: number;
  intervals: [number, number][];
  next: number;
  prev: number;
}

/** Local days a compiled calendar remembers (ten years). */
const DAY_CACHE = 3660;

/** Days searched for business hours before a calendar is taken for having none (five years). */
const MAX_DAYS = 5 * 366;

/** "09:30" → 570; "24:00" is the end of the day. */
export function minutesOf(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new Error(`time of day must be HH:MM, got ${hhmm}`);
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  if (Number(m[2]) > 59 || minutes > 1440) throw new Error(`time of day out of range: ${hhmm}`);
  return minutes;
}

export function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Whether `zone` is a time zone luxon (Intl) knows. */
export function validTimeZone(zone: string): boolean {
  return DateTime.now().setZone(zone).isValid;
}

/** Business time under a calendar. Throws on an unknown zone or a calendar with no hours at all. */
export function businessTime(rules: BusinessCalendarRules): BusinessTime {
  if (!validTimeZone(rules.timeZone)) throw new Error(`unknown time zone ${rules.timeZone}`);
  const byDay = new Map<number, BusinessWindow[]>();
  for (const w of rules.windows) {
    if (w.day < 1 || w.day > 7 || w.start < 0 || w.end > 1440 || w.start >= w.end) throw new Error(`invalid business window ${JSON.stringify(w)}`);
    byDay.set(w.day, [...(byDay.get(w.day) ?? []), w].sort((a, b) => a.start - b.start));
  }
  if (byDay.size === 0) throw new Error('a calendar needs at least one weekday window');
  const holidays = new Set(rules.holidays);
  const zone = rules.timeZone;

  /** The business intervals [start, end) of the local day `day` (a luxon start-of-day), as instants. */
  const intervals = (day: DateTime): [number, number][] => {
    if (holidays.has(day.toISODate()!)) return [];
    const at = (minutes: number) =>
      minutes >= 1440
        ? day.plus({ days: 1 }).startOf('day').toMillis()
        : DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: Math.floor(minutes / 60), minute: minutes % 60 }, { zone }).toMillis();
    return (byDay.get(day.weekday) ?? []).map((w) => [at(w.start), at(w.end)] as [number, number]).filter(([s, e]) => e > s);
  };
  /**
   * The local days met so far, by their first instant: their intervals and the neighbours' first
   * instants, so a walk over days builds each one's luxon dates once per compiled calendar (a
   * recompute runs this for tens of thousands of tickets). Bounded: cleared when full.
   */
  const days = new Map<number, Day>();
  const dayAt = (start: number): Day => {
    let d = days.get(start);
    if (!d) {
      const dt = DateTime.fromMillis(start, { zone });
      d = { start, intervals: intervals(dt), next: dt.plus({ days: 1 }).startOf('day').toMillis(), prev: dt.minus({ days: 1 }).startOf('day').toMillis() };
      if (days.size >= DAY_CACHE) days.clear();
      days.set(start, d);
    }
    return d;
  };
  const dayOf = (at: number) => dayAt(DateTime.fromMillis(at, { zone }).startOf('day').toMillis());

  const forward = (from: number, ms: number): number => {
    let left = ms;
    let day = dayOf(from);
    for (let i = 0; i < MAX_DAYS; i++, day = dayAt(day.next)) {
      for (const [s, e] of day.intervals) {
        const start = Math.max(s, from);
        if (start >= e) continue;
        if (left <= e - start) return start + left;
        left -= e - start;
      }
    }
    throw new Error('no business hours within five years of the start');
  };
  const backward = (from: number, ms: number): number => {
    let left = ms;
    let day = dayOf(from);
    for (let i = 0; i < MAX_DAYS; i++, day = dayAt(day.prev)) {
      for (let k = day.intervals.length - 1; k >= 0; k--) {
        const [s, e] = day.intervals[k]!;
        const end = Math.min(e, from);
        if (end <= s) continue;
        if (left <= end - s) return end - left;
        left -= end - s;
      }
    }
    throw new Error('no business hours within five years before the start');
  };
  const span = (a: number, b: number): number => {
    let total = 0;
    for (let day = dayOf(a); day.start < b; day = dayAt(day.next)) {
      for (const [s, e] of day.intervals) total += Math.max(0, Math.min(e, b) - Math.max(s, a));
    }
    return total;
  };
  return {
    add: (from, ms) => (ms === 0 ? from : ms > 0 ? forward(from, ms) : backward(from, -ms)),
    between: (a, b) => (a === b ? 0 : a < b ? span(a, b) : -span(b, a)),
    running: (at) => dayOf(at).intervals.some(([s, e]) => at >= s && at < e),
  };
}

/** The next instant at or after `at` when the clock runs (`at` itself when it runs now). */
export function nextRunning(time: BusinessTime, at: number): number {
  return time.running(at) ? at : time.add(at, 1) - 1;
}
