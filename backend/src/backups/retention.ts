import type { BackupClass } from '../../../shared/api/backups';

export interface RetentionPolicy {
  hourlyHours: number;
  dailyDays: number;
  weeklyWeeks: number;
  monthlyMonths: number;
}

export function parseRetention(text: string): RetentionPolicy {
  const m = /^(\d+)h\/(\d+)d\/(\d+)w\/(\d+)m$/.exec(text);
  if (!m) throw new Error(`retention must look like 24h/30d/12w/12m, got ${text}`);
  return { hourlyHours: Number(m[1]), dailyDays: Number(m[2]), weeklyWeeks: Number(m[3]), monthlyMonths: Number(m[4]) };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The manual's retention table (hourly 24 h, daily 30 d, weekly 12 w, monthly 12 m), grandfather-
 * father-son style: each class keeps the newest successful backup of each of its last N periods
 * (hour, UTC day, ISO week, calendar month). A backup stays while any class keeps it.
 */
export function classify(backups: { id: string; createdAt: number }[], now: number, policy: RetentionPolicy): Map<string, BackupClass[]> {
  const kept = new Map<string, BackupClass[]>(backups.map((b) => [b.id, []]));
  const newestFirst = [...backups].sort((a, b) => b.createdAt - a.createdAt);
  const keepBy = (cls: BackupClass, period: (t: number) => number, periodsBack: number) => {
    if (periodsBack <= 0) return;
    const current = period(now);
    const seen = new Set<number>();
    for (const b of newestFirst) {
      if (b.createdAt > now) continue;
      const p = period(b.createdAt);
      if (current - p >= periodsBack || seen.has(p)) continue;
      seen.add(p);
      kept.get(b.id)!.push(cls);
    }
  };
  keepBy('hourly', (t) => Math.floor(t / HOUR), policy.hourlyHours);
  keepBy('daily', (t) => Math.floor(t / DAY), policy.dailyDays);
  // Weeks start on Monday (1970-01-01 was a Thursday).
  keepBy('weekly', (t) => Math.floor((t / DAY + 3) / 7), policy.weeklyWeeks);
  keepBy('monthly', (t) => {
    const d = new Date(t);
    return d.getUTCFullYear() * 12 + d.getUTCMonth();
  }, policy.monthlyMonths);
  return kept;
}
