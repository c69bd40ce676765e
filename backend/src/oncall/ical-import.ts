import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { AppError } from '../platform/http/errors';

/**
 * Reads the shifts of an exported on-call calendar (Grafana OnCall, PagerDuty: one VEVENT per
 * shift whose SUMMARY or ATTENDEE names the person). Each event is matched to an OpsDesk user by
 * attendee e-mail, an e-mail address in the summary, or the user's name in the summary; events
 * that match nobody, or are not a time range, are reported as skipped, never guessed.
 */

export interface KnownUser {
  id: string;
  email: string;
  name: string;
}

export interface ImportedShift {
  uid: string;
  userId: string;
  start: number;
  end: number;
}

export interface ParsedImport {
  shifts: ImportedShift[];
  skipped: { uid: string; reason: string }[];
}

/** A recurring event is expanded over this horizon, at most this many occurrences. */
const HORIZON_DAYS = 366;
const MAX_OCCURRENCES = 1000;

function instant(t: ICAL.Time, tzid: string | null): number {
  const zone = t.zone?.tzid;
  if (zone && zone !== 'floating') return t.toUnixTime() * 1000;
  // A TZID the file does not define (common in exports): an IANA name we know, else UTC.
  const local = DateTime.fromObject({ year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second }, { zone: tzid && DateTime.local().setZone(tzid).isValid ? tzid : 'UTC' });
  return local.toMillis();
}

function matchUser(event: ICAL.Event, users: KnownUser[]): KnownUser | null {
  const byEmail = new Map(users.map((u) => [u.email.toLowerCase(), u]));
  for (const a of event.attendees) {
    const value = String(a.getFirstValue() ?? '').replace(/^mailto:/i, '').toLowerCase();
    if (byEmail.has(value)) return byEmail.get(value)!;
  }
  const summary = (event.summary ?? '').toLowerCase();
  for (const m of summary.match(/[^\s<>()[\],;:]+@[^\s<>()[\],;:]+/g) ?? []) if (byEmail.has(m)) return byEmail.get(m)!;
  const cns = event.attendees.map((a) => String(a.getParameter('cn') ?? '').toLowerCase()).filter(Boolean);
  const texts = [summary, ...cns];
  // The longest name that appears as whole words, so "Ann" does not claim "Anna Berg"'s shift.
  const named = users
    .filter((u) => u.name.trim().length >= 2)
    .filter((u) => texts.some((t) => new RegExp(`(^|[^\\p{L}\\p{N}])${u.name.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}\\p{N}])`, 'u').test(t)))
    .sort((a, b) => b.name.length - a.name.length);
  if (named[0]) return named[0];
  const locals = users.filter((u) => texts.some((t) => t.split(/[^a-z0-9._-]+/).includes(u.email.split('@')[0]!.toLowerCase())));
  return locals.length === 1 ? locals[0]! : null;
}

export function parseShiftsIcs(text: string, users: KnownUser[], now: number): ParsedImport {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text));
  } catch (err) {
    throw new AppError('unprocessable', `not an iCalendar file: ${(err as Error).message}`);
  }
  if (root.name !== 'vcalendar') throw new AppError('unprocessable', `not an iCalendar file: it starts with ${root.name.toUpperCase()}, not VCALENDAR`);
  // ical.js resolves TZIDs through a process-wide registry: the file's zones are registered only
  // while this (synchronous) parse runs, so one upload's definitions never leak into another's.
  const registered: string[] = [];
  for (const c of root.getAllSubcomponents('vtimezone')) {
    const tz = new ICAL.Timezone(c);
    if (!tz.tzid || ICAL.TimezoneService.has(tz.tzid)) continue;
    ICAL.TimezoneService.register(tz);
    registered.push(tz.tzid);
  }
  try {
    return eventsOf(root, users, now);
  } finally {
    for (const id of registered) ICAL.TimezoneService.remove(id);
  }
}

function eventsOf(root: ICAL.Component, users: KnownUser[], now: number): ParsedImport {
  const vevents = root.getAllSubcomponents('vevent');
  if (vevents.length === 0) throw new AppError('unprocessable', 'the calendar has no events (VEVENT) to import');
  const out: ParsedImport = { shifts: [], skipped: [] };
  const horizon = now + HORIZON_DAYS * 86_400_000;
  for (const v of vevents) {
    const event = new ICAL.Event(v);
    const uid = event.uid || `(event "${event.summary ?? 'without a summary'}")`;
    if (!event.startDate || !event.endDate) {
      out.skipped.push({ uid, reason: 'no start or end time' });
      continue;
    }
    const user = matchUser(event, users);
    if (!user) {
      out.skipped.push({ uid, reason: `no OpsDesk user matches "${event.summary ?? ''}"` });
      continue;
    }
    const tzid = (v.getFirstProperty('dtstart')?.getParameter('tzid') as string | undefined) ?? null;
    const occurrences: { start: number; end: number }[] = [];
    if (event.isRecurring()) {
      const it = event.iterator();
      for (let next = it.next(); next && occurrences.length < MAX_OCCURRENCES; next = it.next()) {
        const d = event.getOccurrenceDetails(next);
        const start = instant(d.startDate, tzid);
        if (start > horizon) break;
        occurrences.push({ start, end: instant(d.endDate, tzid) });
      }
    } else occurrences.push({ start: instant(event.startDate, tzid), end: instant(event.endDate, tzid) });
    for (const [i, o] of occurrences.entries()) {
      const id = occurrences.length > 1 ? `${uid}#${i}` : uid;
      if (!(o.end > o.start)) out.skipped.push({ uid: id, reason: 'ends before it starts' });
      else out.shifts.push({ uid: id, userId: user.id, start: o.start, end: o.end });
    }
  }
  return out;
}
