import { DateTime } from 'luxon';

/**
 * Who is on call, computed from a schedule's definition alone: no database, no clock. Rotations
 * hand off on the schedule's wall clock (a daily 09:00 hand-off stays at 09:00 across a DST change,
 * so that shift is 23 or 25 hours long); higher layers cover lower ones; overrides cover every layer.
 */

export type RotationKind = 'daily' | 'weekly' | 'custom';

export interface RotationSpec {
  id: string;
  /** Higher layers win where their shifts overlap lower ones. */
  layer: number;
  kind: RotationKind;
  /** Custom shifts only: a whole number of days follows the wall clock, anything else is elapsed time. */
  shiftMinutes: number | null;
  /** Local `HH:MM` of the hand-off in the schedule's time zone. */
  handoffTime: string;
  /** Local date (`YYYY-MM-DD`) of the first hand-off, to participants[0]. */
  startDate: string;
  participants: string[];
  /** The rotation stops covering at this instant (exclusive). */
  endsAt: number | null;
  /** Only these local hours each day (`to` before `from` spans midnight); null: all day. */
  activeHours: { from: string; to: string } | null;
}

export interface OverrideSpec {
  id: string;
  userId: string;
  startsAt: number;
  endsAt: number;
  /** Whom the override stands in for ("C covers B"); informational, the override covers every layer. */
  coversUserId: string | null;
}

/** A shift imported from another tool's calendar: fixed times on a layer, no rotation. */
export interface FixedShiftSpec {
  id: string;
  layer: number;
  userId: string;
  start: number;
  end: number;
}

export interface ScheduleSpec {
  timeZone: string;
  rotations: RotationSpec[];
  overrides: OverrideSpec[];
  fixedShifts?: FixedShiftSpec[];
}

export interface Shift {
  userId: string;
  start: number;
  end: number;
  /** The rotation's layer, or 'override'. */
  layer: number | 'override';
  rotationId: string | null;
  overrideId: string | null;
}

const DAY = 86_400_000;

export function isValidTimeZone(zone: string): boolean {
  return DateTime.local().setZone(zone).isValid;
}

function parseHm(hm: string): { hour: number; minute: number } {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hm);
  if (!m) throw new Error(`time of day must be HH:MM, not "${hm}"`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

function localAt(date: string, hm: string, zone: string): DateTime {
  const d = DateTime.fromISO(date, { zone });
  if (!d.isValid) throw new Error(`"${date}" is not a date in ${zone}`);
  return d.set(parseHm(hm));
}

/** Whole days per shift when the rotation follows the wall clock, else null (elapsed minutes). */
function calendarDays(r: RotationSpec): number | null {
  if (r.kind === 'daily') return 1;
  if (r.kind === 'weekly') return 7;
  const minutes = r.shiftMinutes ?? 0;
  return minutes % 1440 === 0 ? minutes / 1440 : null;
}

/** When shift k of a rotation starts (k may be negative: before the first hand-off); the first hand-off is parsed once. */
function shiftStarts(r: RotationSpec, zone: string): (k: number) => number {
  const first = localAt(r.startDate, r.handoffTime, zone);
  const days = calendarDays(r);
  const firstMs = first.toMillis();
  return days === null ? (k) => firstMs + k * r.shiftMinutes! * 60_000 : (k) => (k === 0 ? firstMs : first.plus({ days: k * days }).toMillis());
}

function nominalLength(r: RotationSpec): number {
  const days = calendarDays(r);
  return days === null ? r.shiftMinutes! * 60_000 : days * DAY;
}

/** The index of the shift running at `at` (its start ≤ at < the next one's start). */
function shiftIndexAt(r: RotationSpec, startOf: (k: number) => number, at: number): number {
  let k = Math.floor((at - startOf(0)) / nominalLength(r));
  while (startOf(k) > at) k--;
  while (startOf(k + 1) <= at) k++;
  return k;
}

/** The local daily windows of `activeHours` that meet [from, to). */
function activeWindows(hours: { from: string; to: string }, zone: string, from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  const a = parseHm(hours.from);
  const b = parseHm(hours.to);
  const overnight = b.hour * 60 + b.minute <= a.hour * 60 + a.minute;
  for (let day = DateTime.fromMillis(from, { zone }).startOf('day').minus({ days: 1 }); day.toMillis() < to; day = day.plus({ days: 1 })) {
    const start = day.set(a).toMillis();
    const end = (overnight ? day.plus({ days: 1 }) : day).set(b).toMillis();
    if (end > from && start < to) out.push([Math.max(start, from), Math.min(end, to)]);
  }
  return out;
}

/** One rotation's shifts meeting [from, to), clipped to the range, its end and its active hours. */
export function rotationShifts(r: RotationSpec, zone: string, from: number, to: number): Shift[] {
  if (r.participants.length === 0 || to <= from) return [];
  const startOf = shiftStarts(r, zone);
  const until = Math.min(to, r.endsAt ?? Infinity);
  const begin = Math.max(from, startOf(0));
  if (until <= begin) return [];
  const raw: Shift[] = [];
  // Each shift ends where the next starts: one wall-clock computation per shift.
  for (let k = shiftIndexAt(r, startOf, begin), start = startOf(k); start < until; k++) {
    const end = startOf(k + 1);
    const userId = r.participants[((k % r.participants.length) + r.participants.length) % r.participants.length]!;
    raw.push({ userId, start: Math.max(start, begin), end: Math.min(end, until), layer: r.layer, rotationId: r.id, overrideId: null });
    start = end;
  }
  if (!r.activeHours) return raw;
  const windows = activeWindows(r.activeHours, zone, begin, until);
  return raw.flatMap((s) =>
    windows.filter(([ws, we]) => we > s.start && ws < s.end).map(([ws, we]) => ({ ...s, start: Math.max(s.start, ws), end: Math.min(s.end, we) })),
  );
}

/** The imported shifts meeting [from, to), clipped; their rotationId is the import's id. */
function fixedShifts(s: ScheduleSpec, from: number, to: number): Shift[] {
  return (s.fixedShifts ?? [])
    .filter((f) => f.end > from && f.start < to)
    .map((f) => ({ userId: f.userId, start: Math.max(f.start, from), end: Math.min(f.end, to), layer: f.layer, rotationId: f.id, overrideId: null }));
}

/** Each layer's shifts (rotations and imported shifts), highest layer first, for the calendar's per-layer rows. */
export function layerShifts(s: ScheduleSpec, from: number, to: number): { layer: number; shifts: Shift[] }[] {
  const fixed = fixedShifts(s, from, to);
  const layers = [...new Set([...s.rotations.map((r) => r.layer), ...fixed.map((f) => f.layer as number)])].sort((a, b) => b - a);
  return layers.map((layer) => ({
    layer,
    shifts: [...s.rotations.filter((r) => r.layer === layer).flatMap((r) => rotationShifts(r, s.timeZone, from, to)), ...fixed.filter((f) => f.layer === layer)].sort((a, b) => a.start - b.start),
  }));
}

/**
 * The final layer over [from, to): at each instant the latest override covering it, else the
 * highest layer's shift (an imported shift, then the earlier-listed rotation on a tie). Adjacent pieces of the same person
 * from the same source are merged; gaps are left out (nobody is on call then).
 */
export function finalShifts(s: ScheduleSpec, from: number, to: number): Shift[] {
  const overrides: Shift[] = s.overrides
    .filter((o) => o.endsAt > from && o.startsAt < to)
    .map((o) => ({ userId: o.userId, start: Math.max(o.startsAt, from), end: Math.min(o.endsAt, to), layer: 'override' as const, rotationId: null, overrideId: o.id }));
  const layered = [
    ...s.rotations.flatMap((r, order) => rotationShifts(r, s.timeZone, from, to).map((sh) => ({ sh, rank: r.layer * 1e6 - order - 1 }))),
    // An imported shift wins over a rotation of its layer: it is what the other tool said.
    ...fixedShifts(s, from, to).map((sh) => ({ sh, rank: (sh.layer as number) * 1e6 })),
  ];
  const candidates = [...overrides.map((sh, i) => ({ sh, rank: Infinity, order: i })), ...layered.map((c) => ({ ...c, order: 0 }))].sort((x, y) => x.sh.start - y.sh.start);
  const cuts = [...new Set(candidates.flatMap((c) => [c.sh.start, c.sh.end]))].sort((a, b) => a - b);
  const out: Shift[] = [];
  // A sweep over the cut points: `active` holds the candidates that started and have not ended.
  let active: typeof candidates = [];
  let next = 0;
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [a, b] = [cuts[i]!, cuts[i + 1]!];
    while (next < candidates.length && candidates[next]!.sh.start <= a) active.push(candidates[next++]!);
    active = active.filter((c) => c.sh.end > a);
    let best: (typeof candidates)[number] | null = null;
    for (const c of active) if (!best || c.rank > best.rank || (c.rank === best.rank && c.order > best.order)) best = c;
    if (!best) continue;
    const last = out[out.length - 1];
    if (last && last.end === a && last.userId === best.sh.userId && last.rotationId === best.sh.rotationId && last.overrideId === best.sh.overrideId) last.end = b;
    else out.push({ ...best.sh, start: a, end: b });
  }
  return out;
}

/**
 * The final layer's shift running at `at`, if anyone is on call then, with its whole extent (a
 * piece is looked for up to five weeks either side, enough for any weekly rotation).
 */
export function onCallAt(s: ScheduleSpec, at: number): Shift | null {
  return finalShifts(s, at - 35 * DAY, at + 35 * DAY).find((sh) => sh.start <= at && sh.end > at) ?? null;
}

/** The next `count` final-layer shifts that start after `at`, looking up to `horizonDays` ahead. */
export function nextShifts(s: ScheduleSpec, at: number, count: number, horizonDays = 60): Shift[] {
  return finalShifts(s, at, at + horizonDays * DAY)
    .filter((sh) => sh.start > at)
    .slice(0, count);
}
