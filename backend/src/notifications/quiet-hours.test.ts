import { describe, expect, it } from 'vitest';
import { holdsNotification, inQuietHours } from './quiet-hours';

const at = (iso: string) => Date.parse(iso);
const night = { enabled: true, from: '22:00', to: '07:00', timeZone: 'Europe/Berlin', allowCritical: true };

describe('quiet hours', () => {
  it('reads the window in the user’s time zone, across midnight', () => {
    // 21:30 UTC in December is 22:30 in Berlin.
    expect(inQuietHours(night, at('2026-12-02T21:30:00Z'))).toBe(true);
    expect(inQuietHours(night, at('2026-12-02T20:30:00Z'))).toBe(false);
    expect(inQuietHours(night, at('2026-12-03T05:59:00Z'))).toBe(true);
    expect(inQuietHours(night, at('2026-12-03T06:00:00Z'))).toBe(false);
  });

  it('a same-day window, a disabled one and an empty one', () => {
    const lunch = { ...night, from: '12:00', to: '13:00', timeZone: 'UTC' };
    expect(inQuietHours(lunch, at('2026-12-02T12:30:00Z'))).toBe(true);
    expect(inQuietHours(lunch, at('2026-12-02T13:00:00Z'))).toBe(false);
    expect(inQuietHours({ ...lunch, enabled: false }, at('2026-12-02T12:30:00Z'))).toBe(false);
    expect(inQuietHours({ ...lunch, to: '12:00' }, at('2026-12-02T12:30:00Z'))).toBe(false);
  });

  it('holds everything but critical when the user lets critical through', () => {
    const t = at('2026-12-02T23:00:00Z');
    expect(holdsNotification(night, 'high', t)).toBe(true);
    expect(holdsNotification(night, 'critical', t)).toBe(false);
    expect(holdsNotification({ ...night, allowCritical: false }, 'critical', t)).toBe(true);
    expect(holdsNotification(night, 'high', at('2026-12-02T12:00:00Z'))).toBe(false);
  });
});
