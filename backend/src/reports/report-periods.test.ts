import { describe, expect, it } from 'vitest';
import { lastDuePeriod, reportRange } from './report-range';

const H = 3_600_000;

describe('report ranges', () => {
  it('gives each local day its own length across a DST change', () => {
    const r = reportRange({ period: 'custom', from: '2026-03-28', to: '2026-03-30', tz: 'Europe/Berlin' }, 0);
    expect(r.days.map((d) => [d.day, (d.to - d.from) / H])).toEqual([['2026-03-28', 24], ['2026-03-29', 23], ['2026-03-30', 24]]);
    expect(r.label).toBe('2026-03-28 – 2026-03-30');
  });

  it('opens a week on Monday, also when the date is a Sunday', () => {
    const r = reportRange({ period: 'weekly', date: '2026-01-11', tz: 'UTC' }, 0);
    expect(r).toMatchObject({ from: Date.UTC(2026, 0, 5), to: Date.UTC(2026, 0, 12), label: '2026-W02 (Jan 5 – Jan 11)' });
  });

  it('sends a day from the chosen local hour of the next day, a week from that hour on Monday', () => {
    // 06:59 in Berlin on Jan 6 (05:59 UTC): Jan 5 is not due before 07:00, Jan 4 is the latest due.
    expect(lastDuePeriod('daily', 'Europe/Berlin', 7, Date.UTC(2026, 0, 6, 5, 59)).label).toBe('2026-01-04');
    expect(lastDuePeriod('daily', 'Europe/Berlin', 7, Date.UTC(2026, 0, 6, 6, 0)).label).toBe('2026-01-05');
    // Monday Jan 12 at 08:00 UTC: last week (Jan 5–11) is due at 07:00 UTC, not yet at 09:00.
    expect(lastDuePeriod('weekly', 'UTC', 7, Date.UTC(2026, 0, 12, 8)).from).toBe(Date.UTC(2026, 0, 5));
    expect(lastDuePeriod('weekly', 'UTC', 9, Date.UTC(2026, 0, 12, 8)).from).toBe(Date.UTC(2025, 11, 29));
  });
});
