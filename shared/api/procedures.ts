import { z } from 'zod';
import { Id, Timestamp } from './common';

import { RunStatus, StepKind, StepStatus } from '../domain/operations';

// Declared once in shared/domain; re-exported for the existing importers.
export { RunStatus, StepKind, StepStatus } from '../domain/operations';

export const ProcedureStep = z.object({
  index: z.number().int(),
  key: z.string(),
  phase: z.string(),
  title: z.string(),
  kind: StepKind,
  /** Checklist text for a person (manual steps) or what the automation does. */
  instructions: z.string(),
  status: StepStatus,
  result: z.unknown().nullable(),
  jobId: z.string().nullable(),
  completedBy: z.string().nullable(),
  startedAt: Timestamp.nullable(),
  completedAt: Timestamp.nullable(),
  note: z.string().nullable(),
});
export type ProcedureStep = z.infer<typeof ProcedureStep>;

export const ProcedureRun = z.object({
  id: z.string(),
  procedure: z.string(),
  title: z.string(),
  status: RunStatus,
  assignedRole: z.string().nullable(),
  params: z.record(z.string(), z.unknown()),
  state: z.record(z.string(), z.unknown()),
  maintenanceId: z.string().nullable(),
  occurrence: z.string().nullable(),
  startedBy: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  finishedAt: Timestamp.nullable(),
  steps: z.array(ProcedureStep),
  /** Set while aborted with a pre-maintenance backup that rollback would restore. */
  rollbackBackupId: z.string().nullable(),
});
export type ProcedureRun = z.infer<typeof ProcedureRun>;

export const ProcedureDefinitionInfo = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  assignedRole: z.string().nullable(),
  schedule: z.string().nullable(),
  steps: z.array(z.object({ key: z.string(), phase: z.string(), title: z.string(), kind: StepKind, instructions: z.string() })),
});

export const StartProcedureRequest = z.object({
  procedure: z.string().min(1).max(100),
  params: z.record(z.string(), z.unknown()).default({}),
  maintenanceId: z.string().max(64).optional(),
});
export const CompleteStepRequest = z.object({ note: z.string().max(4000).optional(), outcome: z.enum(['done', 'skipped', 'failed']).default('done') });
export const AbortRunRequest = z.object({ rollback: z.boolean().default(false), reason: z.string().max(2000).optional() });
export const RunListQuery = z.object({ status: RunStatus.optional(), procedure: z.string().max(100).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });
export const StepParams = z.object({ id: Id, key: z.string().max(100) });
export const AbortRunResult = z.object({ run: ProcedureRun, rollbackJobId: z.string().nullable() });
