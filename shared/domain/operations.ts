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
