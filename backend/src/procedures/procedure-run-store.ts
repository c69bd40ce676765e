import type { Kysely, Selectable } from 'kysely';
import type { ProcedureRun, ProcedureStep, RunStatus, StepNote } from '../../../shared/api/procedures';
import type { Database } from '../platform/db/schema';
import { notFound } from '../platform/http/errors';
import type { Clock } from '../platform/clock';
import { uuid } from '../platform/ids';
import type { ProcedureRunsTable, ProcedureStepNotesTable, ProcedureStepsTable } from '../jobs/tables';
import type { ProcedureDefinition, StepDefinition } from './definitions';

function toNote(r: Selectable<ProcedureStepNotesTable>): StepNote {
  return { id: r.id, author: r.author, body: r.body, createdAt: Number(r.created_at) };
}

function toStep(r: Selectable<ProcedureStepsTable>, def: StepDefinition | undefined, notes: StepNote[]): ProcedureStep {
  return {
    index: r.idx,
    key: r.key,
    phase: r.phase,
    title: r.title,
    kind: r.kind as ProcedureStep['kind'],
    instructions: r.instructions,
    status: r.status as ProcedureStep['status'],
    result: r.result ? (JSON.parse(r.result) as unknown) : null,
    jobId: r.job_id,
    completedBy: r.completed_by,
    startedAt: r.started_at === null ? null : Number(r.started_at),
    completedAt: r.completed_at === null ? null : Number(r.completed_at),
    note: r.note,
    auto: r.kind !== 'manual',
    runbook: def?.runbookId ?? null,
    confirmation: def?.confirm ? (def.runbookId ?? null) : null,
    notes,
  };
}

/** Procedure runs, their steps and step notes as stored; every read and write of those tables. */
export class ProcedureRunStore {
  constructor(
    private readonly db: () => Kysely<Database>,
    private readonly clock: Clock,
    private readonly definition: (id: string) => ProcedureDefinition | undefined,
  ) {}

  async get(id: string): Promise<ProcedureRun> {
    const r = await this.db().selectFrom('procedure_runs').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('Procedure run');
    return (await this.hydrate([r]))[0]!;
  }

  async list(q: { status?: RunStatus; procedure?: string; open?: 'true' | 'false'; limit: number }): Promise<ProcedureRun[]> {
    let query = this.db().selectFrom('procedure_runs').selectAll();
    if (q.status) query = query.where('status', '=', q.status);
    if (q.procedure) query = query.where('procedure', '=', q.procedure);
    if (q.open) query = query.where('status', q.open === 'true' ? 'in' : 'not in', ['running', 'waiting']);
    return this.hydrate(await query.orderBy('created_at', 'desc').limit(q.limit).execute());
  }

  /** Steps and notes of many runs in two queries, not two per run. */
  private async hydrate(rows: Selectable<ProcedureRunsTable>[]): Promise<ProcedureRun[]> {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    const steps = await this.db().selectFrom('procedure_steps').selectAll().where('run_id', 'in', ids).orderBy('run_id').orderBy('idx').execute();
    const notes = await this.db().selectFrom('procedure_step_notes').selectAll().where('run_id', 'in', ids).orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => this.toRun(r, steps.filter((s) => s.run_id === r.id), notes.filter((n) => n.run_id === r.id)));
  }

  private toRun(r: Selectable<ProcedureRunsTable>, steps: Selectable<ProcedureStepsTable>[], notes: Selectable<ProcedureStepNotesTable>[]): ProcedureRun {
    const state = JSON.parse(r.state) as Record<string, unknown>;
    const params = JSON.parse(r.params) as Record<string, unknown>;
    // The parameters were validated when the run was created.
    const defs = this.definition(r.procedure)?.steps(params) ?? [];
    return {
      id: r.id,
      procedure: r.procedure,
      title: r.title,
      status: r.status as RunStatus,
      assignedRole: r.assigned_role,
      params,
      state,
      maintenanceId: r.maintenance_id,
      occurrence: r.occurrence,
      startedBy: r.started_by,
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
      finishedAt: r.finished_at === null ? null : Number(r.finished_at),
      level: r.level,
      dueAt: r.due_at === null ? null : Number(r.due_at),
      remindedAt: r.reminded_at === null ? null : Number(r.reminded_at),
      steps: steps.map((s) => toStep(s, defs[s.idx], notes.filter((n) => n.step_key === s.key).map(toNote))),
      rollbackBackupId: typeof state.backupId === 'string' ? state.backupId : null,
    };
  }

  async setStep(runId: string, idx: number, patch: Partial<Selectable<ProcedureStepsTable>>): Promise<void> {
    await this.db().updateTable('procedure_steps').set(patch).where('run_id', '=', runId).where('idx', '=', idx).execute();
    await this.db().updateTable('procedure_runs').set({ updated_at: this.clock.now() }).where('id', '=', runId).execute();
  }

  async setRun(runId: string, status: RunStatus, statePatch?: Record<string, unknown>): Promise<void> {
    const r = await this.db().selectFrom('procedure_runs').select('state').where('id', '=', runId).executeTakeFirstOrThrow();
    const state = { ...(JSON.parse(r.state) as Record<string, unknown>), ...statePatch };
    const now = this.clock.now();
    await this.db()
      .updateTable('procedure_runs')
      .set({ status, state: JSON.stringify(state), updated_at: now, finished_at: status === 'completed' || status === 'aborted' ? now : null })
      .where('id', '=', runId)
      .execute();
  }

  async addNote(runId: string, stepKey: string, author: string, body: string): Promise<void> {
    await this.db().insertInto('procedure_step_notes').values({ id: uuid(), run_id: runId, step_key: stepKey, author, body, created_at: this.clock.now() }).execute();
    await this.db().updateTable('procedure_runs').set({ updated_at: this.clock.now() }).where('id', '=', runId).execute();
  }

  /** The wake time of a step (watch steps; a checklist's waiting check is re-checked then). */
  async wakeAt(runId: string, idx: number): Promise<{ wake_at: number | null; result: string | null }> {
    return this.db().selectFrom('procedure_steps').select(['wake_at', 'result']).where('run_id', '=', runId).where('idx', '=', idx).executeTakeFirstOrThrow();
  }
}
