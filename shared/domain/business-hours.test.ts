import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { ALWAYS, businessTime, minutesOf, nextRunning, type BusinessWindow } from './business-hours';

const H = 3_600_000;
const M = 60_000;
const weekdays = (start: string, end: string): BusinessWindow[] => [1, 2, 3, 4, 5].map((day) => ({ day, start: minutesOf(start), end: minutesOf(end) }));
const berlin = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Berlin' }).toMillis();
const local = (at: number, zone = 'Europe/Berlin') => DateTime.fromMillis(at, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");

describe('business hours', () => {
  const office = businessTime({ timeZone: 'Europe/Berlin', windows: weekdays('09:00', '17:00'), holidays: ['2026-12-25'] });

  it('adds inside one day, across evenings and across weekends', () => {
    expect(local(office.add(berlin('2026-06-03T10:00'), 2 * H))).toBe('2026-06-03T12:00');
    // Wednesday 16:00 + 2 h: one hour today, one tomorrow from 09:00.
    expect(local(office.add(berlin('2026-06-03T16:00'), 2 * H))).toBe('2026-06-04T10:00');
    // Friday 16:30 + 1 h → Monday 09:30.
    expect(local(office.add(berlin('2026-06-05T16:30'), H))).toBe('2026-06-08T09:30');
    // Started outside hours (Saturday): the clock starts on Monday at 09:00.
    expect(local(office.add(berlin('2026-06-06T11:00'), 15 * M))).toBe('2026-06-08T09:15');
    // Exactly the end of a day stays there rather than jumping to the next morning.
    expect(local(office.add(berlin('2026-06-03T09:00'), 8 * H))).toBe('2026-06-03T17:00');
  });

  it('subtracts (negative targets walk backwards)', () => {
    expect(local(office.add(berlin('2026-06-08T09:30'), -H))).toBe('2026-06-05T16:30');
    expect(local(office.add(berlin('2026-06-03T12:00'), -2 * H))).toBe('2026-06-03T10:00');
  });

  it('measures business time between two instants, signed', () => {
    expect(office.between(berlin('2026-06-05T16:00'), berlin('2026-06-08T10:00'))).toBe(2 * H);
    expect(office.between(berlin('2026-06-08T10:00'), berlin('2026-06-05T16:00'))).toBe(-2 * H);
    expect(office.between(berlin('2026-06-06T00:00'), berlin('2026-06-07T23:59'))).toBe(0);
    // A whole week is five eight-hour days.
    expect(office.between(berlin('2026-06-01T00:00'), berlin('2026-06-08T00:00'))).toBe(40 * H);
  });

  it('skips holidays', () => {
    // Thursday 24 Dec 16:00 + 2 h: one hour on the 24th, Friday the 25th is a holiday → Monday 28th 10:00.
    expect(local(office.add(berlin('2026-12-24T16:00'), 2 * H))).toBe('2026-12-28T10:00');
    expect(office.between(berlin('2026-12-25T00:00'), berlin('2026-12-26T00:00'))).toBe(0);
    expect(office.running(berlin('2026-12-25T10:00'))).toBe(false);
  });

  it('keeps local hours across the spring and autumn DST changes', () => {
    // Europe/Berlin goes to summer time on Sunday 29 March 2026: Friday 16:00 CET + 2 h → Monday 10:00 CEST.
    const monday = office.add(berlin('2026-03-27T16:00'), 2 * H);
    expect(local(monday)).toBe('2026-03-30T10:00');
    expect(new Date(monday).toISOString()).toBe('2026-03-30T08:00:00.000Z');
    // And back on Sunday 25 October: Monday 10:00 CET is 09:00 UTC.
    expect(new Date(office.add(berlin('2026-10-23T16:00'), 2 * H)).toISOString()).toBe('2026-10-26T09:00:00.000Z');
    // The week of a change still has 40 business hours.
    expect(office.between(berlin('2026-03-23T00:00'), berlin('2026-03-30T23:59'))).toBe(48 * H);
  });

  it('counts a window across the change as long as the wall clock makes it', () => {
    const nights = businessTime({ timeZone: 'Europe/Berlin', windows: [{ day: 7, start: 0, end: minutesOf('06:00') }], holidays: [] });
    // 00:00–06:00 on the spring Sunday is 5 real hours, on the autumn Sunday 7.
    expect(nights.between(berlin('2026-03-29T00:00'), berlin('2026-03-29T12:00'))).toBe(5 * H);
    expect(nights.between(berlin('2026-10-25T00:00'), berlin('2026-10-25T12:00'))).toBe(7 * H);
    // 3 h after midnight on the spring Sunday is 04:00 local (02:00–03:00 does not exist).
    expect(local(nights.add(berlin('2026-03-29T00:00'), 3 * H))).toBe('2026-03-29T04:00');
  });

  it('supports several windows a day, 24:00 ends and other zones', () => {
    const split = businessTime({
      timeZone: 'America/New_York',
      windows: [
        { day: 1, start: minutesOf('08:00'), end: minutesOf('12:00') },
        { day: 1, start: minutesOf('13:00'), end: minutesOf('24:00') },
      ],
      holidays: [],
    });
    const ny = (iso: string) => DateTime.fromISO(iso, { zone: 'America/New_York' }).toMillis();
    expect(local(split.add(ny('2026-06-01T11:00'), 2 * H), 'America/New_York')).toBe('2026-06-01T14:00');
    expect(split.between(ny('2026-06-01T00:00'), ny('2026-06-02T00:00'))).toBe(15 * H);
    expect(local(split.add(ny('2026-06-01T23:00'), 2 * H), 'America/New_York')).toBe('2026-06-08T09:00');
  });

  it('says whether the clock runs and when it runs next', () => {
    expect(office.running(berlin('2026-06-03T10:00'))).toBe(true);
    expect(office.running(berlin('2026-06-03T17:00'))).toBe(false);
    expect(local(nextRunning(office, berlin('2026-06-05T18:00')))).toBe('2026-06-08T09:00');
    expect(nextRunning(ALWAYS, 123)).toBe(123);
  });

  it('is consistent: add then between gives the amount back', () => {
    for (let i = 0; i < 200; i++) {
      const from = berlin('2026-01-01T00:00') + Math.floor(((i * 7919) % 365) * 24 * H + ((i * 104729) % (24 * H)));
      const ms = ((i * 15485863) % (60 * H)) + M;
      const due = office.add(from, ms);
      expect(office.between(from, due)).toBe(ms);
      expect(office.add(due, -ms)).toBeLessThanOrEqual(due);
      expect(office.between(office.add(due, -ms), due)).toBe(ms);
    }
  });

  it('refuses unknown zones and calendars without hours', () => {
    expect(() => businessTime({ timeZone: 'Mars/Olympus', windows: weekdays('09:00', '17:00'), holidays: [] })).toThrow(/unknown time zone/);
    expect(() => businessTime({ timeZone: 'UTC', windows: [], holidays: [] })).toThrow(/at least one/);
    expect(() => businessTime({ timeZone: 'UTC', windows: [{ day: 1, start: 600, end: 500 }], holidays: [] })).toThrow(/invalid/);
    expect(() => minutesOf('9:00')).toThrow();
    const allHolidays = businessTime({ timeZone: 'UTC', windows: [{ day: 1, start: 0, end: 60 }], holidays: [] });
    expect(allHolidays.add(Date.UTC(2026, 0, 1), 30 * M)).toBe(Date.UTC(2026, 0, 5, 0, 30));
  });
});
