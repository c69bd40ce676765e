// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScheduleShifts } from '../../../../shared/api/oncall';
import { WeekCalendar } from './WeekCalendar';
import { weekDays, weekStartOf } from './slice';

afterEach(cleanup);
const H = 3_600_000;

describe('the week calendar', () => {
  it('weeks start on the local Monday; the DST week has a 23-hour Sunday', () => {
    const start = weekStartOf(Date.UTC(2026, 2, 25, 12), 'Europe/Berlin');
    expect(new Date(start).toISOString()).toBe('2026-03-22T23:00:00.000Z');
    const days = weekDays(start, 'Europe/Berlin');
    expect(days.slice(1).map((d, i) => (d - days[i]!) / H)).toEqual([24, 24, 24, 24, 24, 24, 23]);
  });

  it('draws each layer and the final layer, overrides marked, in the schedule zone', () => {
    const start = Date.UTC(2026, 0, 4, 23); // Monday 5 Jan 00:00 in Berlin
    const shift = (userName: string, from: number, to: number, layer: number | 'override') => ({
      userId: userName,
      userName,
      start: start + from * H,
      end: start + to * H,
      layer,
      rotationId: layer === 'override' ? null : 'r',
      overrideId: layer === 'override' ? 'o' : null,
    });
    const data: ScheduleShifts = {
      scheduleId: 's',
      timeZone: 'Europe/Berlin',
      from: start,
      to: start + 168 * H,
      layers: [{ layer: 1, shifts: [shift('Ana', 9, 168, 1)] }],
      final: [shift('Ana', 9, 18, 1), shift('Cem', 18, 22, 'override'), shift('Ana', 22, 168, 1)],
    };
    render(<WeekCalendar data={data} weekStart={start} />);
    expect(
      screen
        .getAllByRole('row')
        .map((r) => r.querySelector('[role=rowheader],[role=columnheader]')?.textContent),
    ).toEqual(['Europe/Berlin', 'Layer 1', 'Final (who is paged)']);
    expect(screen.getByText('Mon 5 Jan')).toBeTruthy();
    const cem = screen.getByLabelText('Cem, Mon 5 Jan 18:00 – Mon 5 Jan 22:00, override');
    expect(cem.className).toContain('override');
    expect(screen.getAllByTestId('cal-shift')).toHaveLength(4);
  });
});
