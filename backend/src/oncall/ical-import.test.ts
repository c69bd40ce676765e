import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { parseShiftsIcs } from './ical-import';

const users = [
  { id: 'ann', email: 'ann@example.com', name: 'Ann' },
  { id: 'anna', email: 'anna.berg@example.com', name: 'Anna Berg' },
  { id: 'bo', email: 'bo@example.com', name: 'Bo Lind' },
];
const cal = (...events: string[][]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events.flat(), 'END:VCALENDAR'].join('\r\n');
const event = (uid: string, lines: string[]) => ['BEGIN:VEVENT', `UID:${uid}`, ...lines, 'END:VEVENT'];

describe('reading exported on-call calendars', () => {
  it('matches people by attendee e-mail, then by whole names (the longest first), then by an unambiguous e-mail local part', () => {
    const ics = cal(
      event('1', ['SUMMARY:On call - Anna Berg', 'DTSTART:20260105T080000Z', 'DTEND:20260106T080000Z']),
      event('2', ['SUMMARY:Ann', 'DTSTART:20260106T080000Z', 'DTEND:20260107T080000Z']),
      event('3', ['SUMMARY:Shift', 'ATTENDEE;CN=Someone:mailto:BO@example.com', 'DTSTART:20260107T080000Z', 'DTEND:20260108T080000Z']),
      event('4', ['SUMMARY:[L1] bo', 'DTSTART:20260108T080000Z', 'DTEND:20260109T080000Z']),
      event('5', ['SUMMARY:Annabel', 'DTSTART:20260109T080000Z', 'DTEND:20260110T080000Z']),
    );
    const out = parseShiftsIcs(ics, users, Date.UTC(2026, 0, 1));
    expect(out.shifts.map((s) => [s.uid, s.userId])).toEqual([
      ['1', 'anna'],
      ['2', 'ann'],
      ['3', 'bo'],
      ['4', 'bo'],
    ]);
    expect(out.skipped).toEqual([{ uid: '5', reason: 'no OpsDesk user matches "Annabel"' }]);
  });

  it('reads a TZID the file does not define as that IANA zone, a floating time as UTC, and refuses a backwards event', () => {
    const ics = cal(
      event('z', ['SUMMARY:Ann', 'DTSTART;TZID=Europe/Berlin:20260701T090000', 'DTEND;TZID=Europe/Berlin:20260701T170000']),
      event('f', ['SUMMARY:Ann', 'DTSTART:20260702T090000', 'DTEND:20260702T170000']),
      event('b', ['SUMMARY:Ann', 'DTSTART:20260703T090000Z', 'DTEND:20260703T080000Z']),
    );
    const out = parseShiftsIcs(ics, users, Date.UTC(2026, 0, 1));
    expect(out.shifts.map((s) => [s.uid, new Date(s.start).toISOString()])).toEqual([
      ['z', '2026-07-01T07:00:00.000Z'],
      ['f', '2026-07-02T09:00:00.000Z'],
    ]);
    expect(out.skipped).toEqual([{ uid: 'b', reason: 'ends before it starts' }]);
  });

  it("a file's own time zones apply to that file only", () => {
    const zone = ['BEGIN:VTIMEZONE', 'TZID:Office/Local', 'BEGIN:STANDARD', 'DTSTART:19700101T000000', 'TZOFFSETFROM:+0300', 'TZOFFSETTO:+0300', 'END:STANDARD', 'END:VTIMEZONE'];
    const shift = event('o', ['SUMMARY:Ann', 'DTSTART;TZID=Office/Local:20260105T090000', 'DTEND;TZID=Office/Local:20260105T170000']);
    expect(new Date(parseShiftsIcs(cal(zone, shift), users, 0).shifts[0]!.start).toISOString()).toBe('2026-01-05T06:00:00.000Z');
    expect(ICAL.TimezoneService.has('Office/Local')).toBe(false);
    expect(new Date(parseShiftsIcs(cal(shift), users, 0).shifts[0]!.start).toISOString()).toBe('2026-01-05T09:00:00.000Z');
  });

  it('expands a recurring shift, at most a year ahead', () => {
    const ics = cal(event('r', ['SUMMARY:Bo Lind', 'DTSTART:20260105T080000Z', 'DTEND:20260106T080000Z', 'RRULE:FREQ=WEEKLY']));
    const out = parseShiftsIcs(ics, users, Date.UTC(2026, 0, 1));
    expect(out.shifts.length).toBeGreaterThanOrEqual(52);
    expect(out.shifts.length).toBeLessThanOrEqual(53);
    expect(out.shifts[1]).toMatchObject({ uid: 'r#1', userId: 'bo', start: Date.UTC(2026, 0, 12, 8) });
  });
});
