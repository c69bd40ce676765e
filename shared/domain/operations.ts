import { z } from 'zod';

export const MAINTENANCE_STATUSES = ['scheduled', 'active', 'completed', 'cancelled'] as const;
export const MaintenanceStatus = z.enum(MAINTENANCE_STATUSES);
export type MaintenanceStatus = z.infer<typeof MaintenanceStatus>;

/** A step of a procedure (maintenance wizard) and its progress. */
export const STEP_KINDS = ['manual', 'runbook', 'check', 'action', 'watch'] as const;
export const StepKind = z.enum(STEP_KINDS);
export type StepKind = z.infer<typeof StepKind>;
export const STEP_STATUSES = ['pending', 'running', 'waiting', 'done', 'failed', 'skipped'] as const;
export const StepStatus = z.enum(STEP_STATUSES);
export type StepStatus = z.infer<typeof StepStatus>;

export const RUN_STATUSES = ['running', 'waiting', 'completed', 'failed', 'aborted'] as const;
export const RunStatus = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatus>;

/** Operational documentation, Escalation Procedures: who an open emergency has reached by its age. */
export const ESCALATION_LEVELS = [
  { level: 1, who: 'On-call engineer', untilMinutes: 30 },
  { level: 2, who: 'Team lead', untilMinutes: 60 },
  { level: 3, who: 'Manager', untilMinutes: 120 },
  { level: 4, who: 'Director', untilMinutes: Number.POSITIVE_INFINITY },
] as const;

export function escalationLevelAt(ageMs: number): (typeof ESCALATION_LEVELS)[number] {
  return ESCALATION_LEVELS.find((l) => ageMs < l.untilMinutes * 60_000) ?? ESCALATION_LEVELS[3];
}
