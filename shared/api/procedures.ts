import { z } from 'zod';
import { Id, Timestamp } from './common';

import { RunStatus, StepKind, StepStatus } from '../domain/operations';

// Declared once in shared/domain; re-exported for the existing importers.
export { RunStatus, StepKind, StepStatus } from '../domain/operations';

export const StepNote = z.object({ id: z.string(), author: z.string(), body: z.string(), createdAt: Timestamp });
export type StepNote = z.infer<typeof StepNote>;

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
  /** What the app proves or does itself (a check, an action, a runbook, a timed watch); a person ticks the rest. */
  auto: z.boolean(),
  /** Runbook steps: the runbook, and the word to type when it is destructive (null otherwise). */
  runbook: z.string().nullable(),
  confirmation: z.string().nullable(),
  /** Notes people left on the step, oldest first. */
  notes: z.array(StepNote),
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
  /** The manuals' severity (outage, data loss) or security level (1-4) of an emergency run. */
  level: z.string().nullable(),
  /** When the run is due: the response time of its level, the next period of a checklist, a window's end. */
  dueAt: Timestamp.nullable(),
  /** When the assigned role was reminded that the run is due (once per run). */
  remindedAt: Timestamp.nullable(),
  steps: z.array(ProcedureStep),
  /** Set while aborted with a pre-maintenance backup that rollback would restore. */
  rollbackBackupId: z.string().nullable(),
});
export type ProcedureRun = z.infer<typeof ProcedureRun>;

export const PROCEDURE_CATEGORIES = ['emergency', 'checklist', 'wizard'] as const;
export const ProcedureLevel = z.object({ id: z.string(), label: z.string(), responseMinutes: z.number().int() });
export type ProcedureLevel = z.infer<typeof ProcedureLevel>;

export const ProcedureDefinitionInfo = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  category: z.enum(PROCEDURE_CATEGORIES),
  assignedRole: z.string().nullable(),
  schedule: z.string().nullable(),
  /** Emergency procedures: the levels a run is started with (the first is the default). */
  levels: z.array(ProcedureLevel),
  steps: z.array(z.object({ key: z.string(), phase: z.string(), title: z.string(), kind: StepKind, instructions: z.string() })),
});
export type ProcedureDefinitionInfo = z.infer<typeof ProcedureDefinitionInfo>;

export const StartProcedureRequest = z.object({
  procedure: z.string().min(1).max(100),
  params: z.record(z.string(), z.unknown()).default({}),
  maintenanceId: z.string().max(64).optional(),
  /** One of the procedure's levels (emergency procedures); the first level when left out. */
  level: z.string().max(20).optional(),
});
export const AddStepNoteRequest = z.object({ body: z.string().trim().min(1, 'write the note first').max(4000) });
/** A person runs a runbook step as themselves; destructive runbooks need their id typed. */
export const RunStepRequest = z.object({ confirmation: z.string().max(200).optional() });
export const CompleteStepRequest = z.object({ note: z.string().max(4000).optional(), outcome: z.enum(['done', 'skipped', 'failed']).default('done') });
export const AbortRunRequest = z.object({ rollback: z.boolean().default(false), reason: z.string().max(2000).optional() });
export const RunListQuery = z.object({ status: RunStatus.optional(), procedure: z.string().max(100).optional(), open: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });
export const StepParams = z.object({ id: Id, key: z.string().max(100) });
export const AbortRunResult = z.object({ run: ProcedureRun, rollbackJobId: z.string().nullable() });
