import { Cron } from 'croner';
import type { ProcedureLevel } from '../../../shared/api/procedures';
import { Severity } from '../../../shared/domain/alerts';
import { RESPONSE_TARGET_MS } from '../../../shared/domain/incidents';
import { AppError } from '../platform/http/errors';
import type { ProcedureDefinition } from './definitions';

const MIN = 60_000;
const minutes = (s: Severity) => RESPONSE_TARGET_MS[s] / MIN;

/** Operations manual, Incident Response → Classification: severity, impact and response time. */
export const INCIDENT_LEVELS: ProcedureLevel[] = [
  { id: 'critical', label: 'Critical: complete outage', responseMinutes: minutes('critical') },
  { id: 'high', label: 'High: partial outage', responseMinutes: minutes('high') },
  { id: 'medium', label: 'Medium: degraded performance', responseMinutes: minutes('medium') },
  { id: 'low', label: 'Low: minor issues', responseMinutes: minutes('low') },
];

/**
 * Operational documentation, Security Incident Classification (levels 1-4). The manual gives no
 * response times for them; each is handled as the incident severity of the same rank (level 4 as
 * critical … level 1 as low): that severity's response time, and the incident it declares.
 */
const SECURITY_SEVERITY: Record<string, Severity> = { '4': 'critical', '3': 'high', '2': 'medium', '1': 'low' };
export const SECURITY_LEVELS: ProcedureLevel[] = [
  { id: '4', label: 'Level 4: critical impact, system compromise', responseMinutes: minutes('critical') },
  { id: '3', label: 'Level 3: high impact, significant data exposure', responseMinutes: minutes('high') },
  { id: '2', label: 'Level 2: medium impact, limited data exposure', responseMinutes: minutes('medium') },
  { id: '1', label: 'Level 1: low impact, no data exposure', responseMinutes: minutes('low') },
];

/** The incident severity a run's level stands for (a severity itself, or a security level). */
export function severityOfLevel(level: string | null): Severity {
  if (level && level in SECURITY_SEVERITY) return SECURITY_SEVERITY[level]!;
  const parsed = Severity.safeParse(level);
  return parsed.success ? parsed.data : 'high';
}

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

