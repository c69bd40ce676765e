import { Cron } from 'croner';
import type { ProcedureLevel } from '../../../shared/api/procedures';
import { AppError } from '../platform/http/errors';
import type { ProcedureDefinition } from './definitions';

const MIN = 60_000;

/** Operations manual, Incident Response → Classification: severity, impact and response time. */
export const INCIDENT_SEVERITIES: ProcedureLevel[] = [
  { id: 'critical', label: 'Critical: complete outage', responseMinutes: 15 },
  { id: 'high', label: 'High: partial outage', responseMinutes: 60 },
  { id: 'medium', label: 'Medium: degraded performance', responseMinutes: 240 },
  { id: 'low', label: 'Low: minor issues', responseMinutes: 1440 },
];

/**
 * Operational documentation, Security Incident Classification (levels 1-4). The manual gives no
 * response times for them; each takes the response time of the incident severity of the same rank
 * (level 4 as critical … level 1 as low).
 */
export const SECURITY_LEVELS: ProcedureLevel[] = [
  { id: '4', label: 'Level 4: critical impact, system compromise', responseMinutes: 15 },
  { id: '3', label: 'Level 3: high impact, significant data exposure', responseMinutes: 60 },
  { id: '2', label: 'Level 2: medium impact, limited data exposure', responseMinutes: 240 },
  { id: '1', label: 'Level 1: low impact, no data exposure', responseMinutes: 1440 },
];

/** The level a run starts with: the one asked for (it must be the procedure's), else the first. */
export function levelOf(d: ProcedureDefinition, asked: string | undefined): ProcedureLevel | null {
  if (!d.levels.length) {
    if (asked !== undefined) throw new AppError('validation_failed', `${d.id} has no levels`, [{ field: 'body.level', message: 'this procedure has no levels' }]);
    return null;
  }
  if (asked === undefined) return d.levels[0]!;
  const l = d.levels.find((x) => x.id === asked);
  if (!l) throw new AppError('validation_failed', `level must be one of ${d.levels.map((x) => x.id).join(', ')}`, [{ field: 'body.level', message: `one of ${d.levels.map((x) => x.id).join(', ')}` }]);
  return l;
}

/**
 * When a run is due: an emergency run within its level's response time, a checklist by the next
 * occurrence of its schedule (today's daily list by tomorrow's), a wizard by its window's end.
 */
export function dueAtFor(d: ProcedureDefinition, level: ProcedureLevel | null, createdAt: number, windowEnd: number | null): number | null {
  if (level) return createdAt + level.responseMinutes * MIN;
  if (d.schedule) return new Cron(d.schedule, { paused: true, timezone: 'UTC' }).nextRun(new Date(createdAt))?.getTime() ?? null;
  return windowEnd;
}

