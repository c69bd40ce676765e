import { describe, expect, it } from 'vitest';
import { formatCountdown, formatDuration, liveSlaState } from './format';

describe('format', () => {
  it('formats durations compactly', () => {
    expect(formatDuration(12_000)).toBe('12s');
    expect(formatDuration(250_000)).toBe('4m 10s');
    expect(formatDuration(2 * 3600_000 + 5 * 60_000)).toBe('2h 05m');
    expect(formatDuration(50 * 3600_000)).toBe('2d 02h');
  });
  it('shows overdue countdowns', () => {
    expect(formatCountdown(1000, 61_000)).toBe('1m 00s over');
    expect(formatCountdown(null, 0)).toBe('—');
  });
  it('recolours the SLA live between syncs', () => {
    expect(liveSlaState('ok', 10_000_000, 0)).toBe('ok');
    expect(liveSlaState('ok', 60_000, 0)).toBe('warning');
    expect(liveSlaState('warning', 60_000, 70_000)).toBe('breached');
    expect(liveSlaState('paused', 60_000, 70_000)).toBe('paused');
  });
});
