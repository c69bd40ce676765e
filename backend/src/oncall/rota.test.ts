import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { finalShifts, layerShifts, nextShifts, onCallAt, rotationShifts, type RotationSpec, type ScheduleSpec } from './rota';

const BERLIN = 'Europe/Berlin';
const at = (iso: string, zone = BERLIN) => DateTime.fromISO(iso, { zone }).toMillis();
const local = (ms: number, zone = BERLIN) => DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");
const HOUR = 3_600_000;

function rotation(p: Partial<RotationSpec> = {}): RotationSpec {
  return { id: 'r1', layer: 1, kind: 'weekly', shiftMinutes: null, handoffTime: '09:00', startDate: '2026-03-02', participants: ['ana', 'ben'], endsAt: null, activeHours: null, ...p };
}

describe('rotation shifts', () => {
  it('weekly: hands off every Monday 09:00 local, participants in order, wrapping round', () => {
    const shifts = rotationShifts(rotation({ participants: ['ana', 'ben', 'cem'] }), BERLIN, at('2026-03-02T09:00'), at('2026-03-30T09:00'));
    expect(shifts.map((s) => [s.userId, local(s.start), local(s.end)])).toEqual([
      ['ana', '2026-03-02T09:00', '2026-03-09T09:00'],
      ['ben', '2026-03-09T09:00', '2026-03-16T09:00'],
      ['cem', '2026-03-16T09:00', '2026-03-23T09:00'],
      ['ana', '2026-03-23T09:00', '2026-03-30T09:00'],
    ]);
  });

  it('DST week: the weekly shift across the spring change is 167 hours and the hand-off stays at 09:00 local', () => {
    // Berlin moves from CET to CEST on Sunday 2026-03-29 at 02:00.
    const shifts = rotationShifts(rotation(), BERLIN, at('2026-03-23T09:00'), at('2026-04-06T09:00'));
    expect(shifts.map((s) => [s.userId, local(s.start), local(s.end), (s.end - s.start) / HOUR])).toEqual([
      ['ben', '2026-03-23T09:00', '2026-03-30T09:00', 167],
      ['ana', '2026-03-30T09:00', '2026-04-06T09:00', 168],
    ]);
    expect(new Date(shifts[0]!.start).toISOString()).toBe('2026-03-23T08:00:00.000Z');
    expect(new Date(shifts[1]!.start).toISOString()).toBe('2026-03-30T07:00:00.000Z');
  });

  it('DST in the autumn: the daily shift over the change is 25 hours, the others 24', () => {
    // Berlin goes back to CET on Sunday 2026-10-25 at 03:00.
    const daily = rotation({ kind: 'daily', startDate: '2026-10-20', handoffTime: '08:30' });
    const shifts = rotationShifts(daily, BERLIN, at('2026-10-23T08:30'), at('2026-10-27T08:30'));
    expect(shifts.map((s) => [local(s.start), (s.end - s.start) / HOUR])).toEqual([
      ['2026-10-23T08:30', 24],
      ['2026-10-24T08:30', 25],
      ['2026-10-25T08:30', 24],
      ['2026-10-26T08:30', 24],
    ]);
    expect(shifts.map((s) => s.userId)).toEqual(['ben', 'ana', 'ben', 'ana']);
  });

  it('custom: a 12-hour shift counts elapsed time (so it moves on the wall clock over DST), a 2-day shift follows the wall clock', () => {
    const twelve = rotation({ kind: 'custom', shiftMinutes: 720, startDate: '2026-03-28', handoffTime: '08:00' });
    const s12 = rotationShifts(twelve, BERLIN, at('2026-03-28T08:00'), at('2026-03-30T08:00'));
    expect(s12.map((s) => local(s.start))).toEqual(['2026-03-28T08:00', '2026-03-28T20:00', '2026-03-29T09:00', '2026-03-29T21:00']);
    expect(s12.every((s) => s.end - s.start === 12 * HOUR || s.end === at('2026-03-30T08:00'))).toBe(true);
    const twoDays = rotation({ kind: 'custom', shiftMinutes: 2880, startDate: '2026-03-27', handoffTime: '08:00' });
    expect(rotationShifts(twoDays, BERLIN, at('2026-03-27T08:00'), at('2026-04-02T08:00')).map((s) => local(s.start))).toEqual(['2026-03-27T08:00', '2026-03-29T08:00', '2026-03-31T08:00']);
  });

  it('clips to the range, starts no earlier than the first hand-off and stops at the rotation end', () => {
    const r = rotation({ endsAt: at('2026-03-12T12:00') });
    const shifts = rotationShifts(r, BERLIN, at('2026-02-20T00:00'), at('2026-03-20T00:00'));
    expect(shifts.map((s) => [s.userId, local(s.start), local(s.end)])).toEqual([
      ['ana', '2026-03-02T09:00', '2026-03-09T09:00'],
      ['ben', '2026-03-09T09:00', '2026-03-12T12:00'],
    ]);
    expect(rotationShifts(rotation({ participants: [] }), BERLIN, at('2026-03-02T09:00'), at('2026-03-20T00:00'))).toEqual([]);
  });

  it('active hours restrict each shift to the local window, overnight windows included', () => {
    const nights = rotation({ kind: 'daily', activeHours: { from: '22:00', to: '06:00' } });
    const s = rotationShifts(nights, BERLIN, at('2026-03-02T09:00'), at('2026-03-04T09:00'));
    expect(s.map((x) => [x.userId, local(x.start), local(x.end)])).toEqual([
      ['ana', '2026-03-02T22:00', '2026-03-03T06:00'],
      ['ben', '2026-03-03T22:00', '2026-03-04T06:00'],
    ]);
  });

  it('works in any zone: New York changes on a different Sunday than Berlin', () => {
    const ny = 'America/New_York';
    const s = rotationShifts(rotation({ startDate: '2026-03-02' }), ny, at('2026-03-02T09:00', ny), at('2026-03-16T09:00', ny));
    expect(s.map((x) => (x.end - x.start) / HOUR)).toEqual([167, 168]); // DST starts 2026-03-08 there
  });
});

describe('the final layer', () => {
  const schedule: ScheduleSpec = {
    timeZone: BERLIN,
    rotations: [
      rotation({ id: 'base', layer: 1, participants: ['ana', 'ben'] }),
      rotation({ id: 'day', layer: 2, kind: 'daily', participants: ['dan'], activeHours: { from: '09:00', to: '17:00' }, startDate: '2026-03-02' }),
    ],
    overrides: [{ id: 'o1', userId: 'cem', coversUserId: 'ana', startsAt: at('2026-03-03T18:00'), endsAt: at('2026-03-03T22:00') }],
  };

  it('a higher layer covers a lower one only where it has shifts; an override covers every layer', () => {
    const shifts = finalShifts(schedule, at('2026-03-03T00:00'), at('2026-03-04T00:00'));
    expect(shifts.map((s) => [s.userId, local(s.start), local(s.end), s.layer])).toEqual([
      ['ana', '2026-03-03T00:00', '2026-03-03T09:00', 1],
      ['dan', '2026-03-03T09:00', '2026-03-03T17:00', 2],
      ['ana', '2026-03-03T17:00', '2026-03-03T18:00', 1],
      ['cem', '2026-03-03T18:00', '2026-03-03T22:00', 'override'],
      ['ana', '2026-03-03T22:00', '2026-03-04T00:00', 1],
    ]);
  });

  it('who is on call at an instant, with the whole shift, and who is next', () => {
    expect(onCallAt(schedule, at('2026-03-03T19:30'))).toMatchObject({ userId: 'cem', start: at('2026-03-03T18:00'), end: at('2026-03-03T22:00'), overrideId: 'o1' });
    expect(onCallAt(schedule, at('2026-03-07T12:00'))).toMatchObject({ userId: 'dan', layer: 2 });
    expect(onCallAt(schedule, at('2026-03-08T12:00'))).toMatchObject({ userId: 'dan' });
    expect(onCallAt(schedule, at('2026-03-08T20:00'))).toMatchObject({ userId: 'ana', start: at('2026-03-08T17:00'), end: at('2026-03-09T09:00') });
    expect(onCallAt({ ...schedule, rotations: [] }, at('2026-03-03T12:00'))).toBeNull();
    expect(nextShifts(schedule, at('2026-03-03T19:30'), 2).map((s) => [s.userId, local(s.start)])).toEqual([
      ['ana', '2026-03-03T22:00'],
      ['dan', '2026-03-04T09:00'],
    ]);
  });

  it('the later of two overlapping overrides wins; the per-layer rows keep every rotation', () => {
    const two = { ...schedule, overrides: [...schedule.overrides, { id: 'o2', userId: 'eve', coversUserId: null, startsAt: at('2026-03-03T20:00'), endsAt: at('2026-03-03T21:00') }] };
    expect(finalShifts(two, at('2026-03-03T18:00'), at('2026-03-03T22:00')).map((s) => [s.userId, local(s.start)])).toEqual([
      ['cem', '2026-03-03T18:00'],
      ['eve', '2026-03-03T20:00'],
      ['cem', '2026-03-03T21:00'],
    ]);
    const rows = layerShifts(schedule, at('2026-03-02T00:00'), at('2026-03-09T00:00'));
    expect(rows.map((r) => r.layer)).toEqual([2, 1]);
    expect(rows[0]!.shifts).toHaveLength(7); // 09:00–17:00 on each of the seven days
  });

  it('an imported shift covers the rotations of its layer and below, and is covered by higher layers and overrides', () => {
    const imported = { ...schedule, fixedShifts: [{ id: 'f1', layer: 1, userId: 'zoe', start: at('2026-03-03T06:00'), end: at('2026-03-03T20:00') }] };
    expect(finalShifts(imported, at('2026-03-03T00:00'), at('2026-03-04T00:00')).map((s) => [s.userId, local(s.start), local(s.end)])).toEqual([
      ['ana', '2026-03-03T00:00', '2026-03-03T06:00'],
      ['zoe', '2026-03-03T06:00', '2026-03-03T09:00'],
      ['dan', '2026-03-03T09:00', '2026-03-03T17:00'],
      ['zoe', '2026-03-03T17:00', '2026-03-03T18:00'],
      ['cem', '2026-03-03T18:00', '2026-03-03T22:00'],
      ['ana', '2026-03-03T22:00', '2026-03-04T00:00'],
    ]);
    expect(layerShifts(imported, at('2026-03-03T00:00'), at('2026-03-04T00:00'))[1]!.shifts.map((s) => s.userId)).toEqual(['ana', 'zoe']);
  });
});
