import type { z } from 'zod';
import type { ProcedureDefinitionInfo, ProcedureLevel } from '../../../shared/api/procedures';
import type { Role } from '../../../shared/domain/roles';

export type StepKind = 'manual' | 'runbook' | 'check' | 'action' | 'watch';

export interface StepResult {
  ok: boolean;
  detail: string;
  data?: Record<string, unknown>;
  /** Values merged into the run's state (backupId, silenceIds, version…). */
  state?: Record<string, unknown>;
}

export interface StepContext {
  runId: string;
  params: Record<string, unknown>;
  state: Record<string, unknown>;
  /** The run's level (emergency procedures), else null. */
  level: string | null;
  /** Who started the run (null: a schedule). */
  startedBy: string | null;
  /** When the run (or its maintenance window) started: "since the window started". */
  startedAt: number;
}

export interface StepDefinition {
  key: string;
  phase: string;
  title: string;
  kind: StepKind;
  instructions: string;
  /** runbook steps: which runbook with which parameters. */
  runbook?: (c: StepContext) => { runbook: string; params: Record<string, unknown> } | null;
  /** runbook steps: the runbook's id (listed to people; the parameters come from `runbook`). */
  runbookId?: string;
  /** runbook steps a person starts (as themselves), never the engine: always so in checklists. */
  attended?: boolean;
  /** A destructive runbook: the person types the runbook's id to run it. */
  confirm?: boolean;
  /** What a finished job contributes to the run's state. */
  onJobResult?: (result: unknown) => Record<string, unknown>;
  /** check/action steps. */
  execute?: (c: StepContext) => Promise<StepResult>;
  /** A check that fails: leave it to a person (checklists) or fail the run (wizard). */
  onCheckFail?: 'wait' | 'fail';
  /** watch steps: how long, then what to compare. */
  watchMs?: (c: StepContext) => number;
  baseline?: (c: StepContext) => Promise<Record<string, unknown>>;
  evaluate?: (c: StepContext, baseline: Record<string, unknown>) => Promise<StepResult>;
}

export interface ProcedureDefinition {
  id: string;
  title: string;
  description: string;
  category: 'emergency' | 'checklist' | 'wizard';
  assignedRole: Extract<Role, 'oncall' | 'admin'> | null;
  /** Emergency procedures: the manuals' levels, the default first; [] otherwise. */
  levels: ProcedureLevel[];
  /** Recurring checklists: cron (UTC) at which a new run is created for the role. */
  schedule: string | null;
  /** Expands into steps; the maintenance wizard adds one step per chosen runbook. */
  steps(params: Record<string, unknown>): StepDefinition[];
}

/**
 * A definition as the API lists it. Steps that depend on parameters (the maintenance wizard's)
 * cannot be listed without them: the list is empty, and why is logged at debug level.
 */
export function definitionInfo(d: ProcedureDefinition, log: { debug(obj: object, msg: string): void }): z.output<typeof ProcedureDefinitionInfo> {
  let steps: StepDefinition[] = [];
  try {
    steps = d.steps({});
  } catch (err) {
    log.debug({ err, procedure: d.id }, 'procedures: steps depend on parameters, listed without them');
  }
  return {
    id: d.id,
    title: d.title,
    description: d.description,
    category: d.category,
    assignedRole: d.assignedRole,
    schedule: d.schedule,
    levels: d.levels,
    steps: steps.map((s) => ({ key: s.key, phase: s.phase, title: s.title, kind: s.kind, instructions: s.instructions })),
  };
}
