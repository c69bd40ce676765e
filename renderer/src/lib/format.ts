import type { SlaState } from '../../../shared/ipc';

/** "2h 05m", "4m 10s", "12s"; negative durations read as overdue by the caller. */
export function formatDuration(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return `${d}d ${String(h).padStart(2, '0')}h`;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

/** Time left until `dueAt`; with `left` given (business time from the queue's calendar), that instead. */
export function formatCountdown(dueAt: number | null, now: number, left = dueAt == null ? 0 : dueAt - now): string {
  if (dueAt == null) return '—';
  return left >= 0 ? formatDuration(left) : `${formatDuration(left)} over`;
}

/** The SLA state to colour a countdown with, recomputed live between syncs. */
export function liveSlaState(
  state: SlaState,
  dueAt: number | null,
  now: number,
  warnMs = 30 * 60_000,
  left = dueAt == null ? 0 : dueAt - now,
): SlaState {
  if (state === 'paused' || state === 'met' || state === 'none' || dueAt == null) return state;
  if (now >= dueAt) return 'breached';
  if (left <= warnMs || state === 'warning') return 'warning';
  return 'ok';
}

export function relativeTime(at: number, now: number): string {
  const diff = now - at;
  if (Math.abs(diff) < 45_000) return 'just now';
  const ahead = diff < 0;
  const txt = formatDuration(diff).split(' ')[0]!;
  return ahead ? `in ${txt}` : `${txt} ago`;
}

export function formatTime(at: number | null | undefined): string {
  if (at == null) return '—';
  const d = new Date(at);
  return d.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export function formatBytes(n: number | null | undefined): string {
  if (n == null) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export function titleCase(s: string): string {
  return s.replace(/[_-]/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
}
