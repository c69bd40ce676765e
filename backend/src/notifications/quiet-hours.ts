import { DateTime } from 'luxon';
import type { QuietHours, Severity } from '../../../shared/api/alerts';

export const DEFAULT_QUIET_HOURS: QuietHours = { enabled: false, from: '22:00', to: '07:00', timeZone: 'UTC', allowCritical: true };

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** True while `now` falls inside the user's do-not-disturb window, read in the user's time zone (a window like 22:00–07:00 crosses midnight). */
export function inQuietHours(q: QuietHours, now: number): boolean {
  if (!q.enabled) return false;
  const local = DateTime.fromMillis(now, { zone: q.timeZone });
  const minutes = (local.isValid ? local : DateTime.fromMillis(now, { zone: 'UTC' })).hour * 60 + local.minute;
  const from = minutesOf(q.from);
  const to = minutesOf(q.to);
  if (from === to) return false;
  return from < to ? minutes >= from && minutes < to : minutes >= from || minutes < to;
}

/** Whether a notification of this severity is held until the quiet hours end (critical passes when the user allows it). */
export function holdsNotification(q: QuietHours, severity: Severity, now: number): boolean {
  return inQuietHours(q, now) && !(q.allowCritical && severity === 'critical');
}
