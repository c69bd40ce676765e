import type { Kysely, Selectable } from 'kysely';
import type { ProcedureRun, ProcedureStep, RunStatus } from '../../../shared/api/procedures';
import { SYSTEM_ACTOR, type Actor } from '../audit/audit-log';
import type { BackupService } from '../backups/backup-service';
import type { Services } from '../app/services';
import type { Database } from '../platform/db/schema';
import { AppError, notFound } from '../platform/http/errors';
import type { JobService } from '../jobs/job-service';
import { isFinished } from '../jobs/job-runner';
import type { ProcedureRunsTable, ProcedureStepsTable } from '../jobs/tables';
import { uuid } from '../platform/ids';
import type { OpsIntegrations } from '../maintenance/integrations';
import type { MaintenanceWindows } from '../maintenance/maintenance-windows';
import type { ServiceManager } from '../services/service-manager';
import type { ProcedureDefinition, StepContext, StepDefinition, StepResult } from './definitions';
import { procedureCatalogue, type CatalogueDeps } from './procedure-catalogue';

/** How often the lifecycle advances running procedures. */
export const PROCEDURE_TICK_MS = 1000;

function toStep(r: Selectable<ProcedureStepsTable>): ProcedureStep {
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
  };
}

/**
 * Runs procedures: ordered steps, manual (a person ticks them) or automatic (runbook job, check,
 * action, timed watch), every result recorded. State lives in the database, so a run continues
 * where it was after a backend restart: a running job step is picked up by its job id.
 */
export class ProcedureEngine {
  private readonly defs = new Map<string, ProcedureDefinition>();
  private busy = new Set<string>();

  constructor(
    private readonly ctx: CatalogueDeps['ctx'] & Pick<Services, 'lifecycle'>,
    private readonly jobs: JobService,
    backups: BackupService,
    services: ServiceManager,
    integrations: OpsIntegrations,
    private readonly windows: MaintenanceWindows,
  ) {
    for (const d of procedureCatalogue({ ctx, jobs, backups, services, integrations, windows })) this.defs.set(d.id, d);
  }

  private get db(): Kysely<Database> {
    return this.ctx.database.db;
  }

  definitions(): ProcedureDefinition[] {
    return [...this.defs.values()];
  }

  definition(id: string): ProcedureDefinition {
    const d = this.defs.get(id);
    if (!d) throw notFound(`Procedure ${id}`);
    return d;
  }

  /** The engine's loops: advancing running procedures, and (with schedules) the recurring checklists. */
  register(lifecycle: Services['lifecycle'], schedule: boolean): void {
    lifecycle.every('procedures', PROCEDURE_TICK_MS, () => this.tickAll(), { immediate: true, once: true });
    if (!schedule) return;
    for (const d of this.defs.values()) if (d.schedule) lifecycle.cron(`procedure-schedule:${d.id}`, d.schedule, () => this.createScheduled(d.id), { once: true });
  }

  /** The recurring checklist for this period, once per occurrence (unique key). */
  async createScheduled(procedure: string, at = this.ctx.clock.now()): Promise<ProcedureRun | null> {
    const d = this.definition(procedure);
    const occurrence = `${procedure}:${new Date(at).toISOString().slice(0, 10)}`;
    const exists = await this.db.selectFrom('procedure_runs').select('id').where('occurrence', '=', occurrence).executeTakeFirst();
    if (exists) return null;
    return this.create({ ...SYSTEM_ACTOR, email: `schedule:${d.id}` }, procedure, {}, { occurrence });
  }

  async create(actor: Actor, procedure: string, params: Record<string, unknown>, opts: { occurrence?: string; maintenanceId?: string } = {}): Promise<ProcedureRun> {
    const d = this.definition(procedure);
    let steps: StepDefinition[];
    try {
      steps = d.steps(params);
    } catch (e) {
      const issues = (e as { issues?: { path: unknown[]; message: string }[] }).issues;
      if (issues) throw new AppError('validation_failed', `Invalid parameters: ${issues.map((i) => `params.${i.path.join('.')}: ${i.message}`).join('; ')}`, issues.map((i) => ({ field: ['params', ...i.path.map(String)].join('.'), message: i.message })));
      throw e;
    }
    const id = uuid();
    const now = this.ctx.clock.now();
    const window = opts.maintenanceId ? await this.db.selectFrom('maintenance_windows').select(['id', 'current_start']).where('id', '=', opts.maintenanceId).executeTakeFirst() : undefined;
    if (opts.maintenanceId && !window) throw notFound('Maintenance window');
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('procedure_runs')
        .values({ id, procedure, title: d.title, status: 'running', assigned_role: d.assignedRole, params: JSON.stringify(params), state: JSON.stringify({ maintenanceId: opts.maintenanceId ?? null, startedAt: window?.current_start ?? now }), maintenance_id: opts.maintenanceId ?? null, occurrence: opts.occurrence ?? null, started_by: actor.id, created_at: now, updated_at: now, finished_at: null })
        .execute();
      await trx
        .insertInto('procedure_steps')
        .values(steps.map((s, idx) => ({ run_id: id, idx, key: s.key, phase: s.phase, title: s.title, kind: s.kind, instructions: s.instructions, status: 'pending', result: null, job_id: null, completed_by: null, started_at: null, completed_at: null, wake_at: null, note: null })))
        .execute();
      await this.ctx.audit.record(actor, { action: 'procedure.start', targetType: 'procedure', targetId: id, details: { procedure, params } }, trx);
    });
    await this.advance(id);
    return this.get(id);
  }

  async get(id: string): Promise<ProcedureRun> {
    const r = await this.db.selectFrom('procedure_runs').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('Procedure run');
    const steps = await this.db.selectFrom('procedure_steps').selectAll().where('run_id', '=', id).orderBy('idx').execute();
    return this.toRun(r, steps);
  }

  private toRun(r: Selectable<ProcedureRunsTable>, steps: Selectable<ProcedureStepsTable>[]): ProcedureRun {
    const state = JSON.parse(r.state) as Record<string, unknown>;
    return {
      id: r.id,
      procedure: r.procedure,
      title: r.title,
      status: r.status as RunStatus,
      assignedRole: r.assigned_role,
      params: JSON.parse(r.params) as Record<string, unknown>,
      state,
      maintenanceId: r.maintenance_id,
      occurrence: r.occurrence,
      startedBy: r.started_by,
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
      finishedAt: r.finished_at === null ? null : Number(r.finished_at),
      steps: steps.map(toStep),
      rollbackBackupId: typeof state.backupId === 'string' ? state.backupId : null,
    };
  }

  async list(q: { status?: RunStatus; procedure?: string; limit: number }): Promise<ProcedureRun[]> {
    let query = this.db.selectFrom('procedure_runs').selectAll();
    if (q.status) query = query.where('status', '=', q.status);
    if (q.procedure) query = query.where('procedure', '=', q.procedure);
    const rows = await query.orderBy('created_at', 'desc').limit(q.limit).execute();
    return Promise.all(rows.map(async (r) => this.toRun(r, await this.db.selectFrom('procedure_steps').selectAll().where('run_id', '=', r.id).orderBy('idx').execute())));
  }

  private async tickAll(): Promise<void> {
    const rows = await this.db.selectFrom('procedure_runs').select('id').where('status', '=', 'running').execute();
    // Each run advances on its own (advance() skips a run already advancing), so a run waiting on a
    // slow step never holds up the others or the next round; a run that fails to advance is reported.
    for (const r of rows) void this.advance(r.id).catch(this.ctx.lifecycle.reporter('procedures.advance'));
  }

  private async publish(id: string, actor: Actor): Promise<void> {
    const run = await this.get(id);
    this.ctx.events.publish({ type: 'procedure.updated', seq: null, actor: actor.id ? { id: actor.id, email: actor.email } : null, data: run, at: this.ctx.clock.now() }, { kind: 'oncall' });
  }

  private async setStep(runId: string, idx: number, patch: Partial<Selectable<ProcedureStepsTable>>): Promise<void> {
    await this.db.updateTable('procedure_steps').set(patch).where('run_id', '=', runId).where('idx', '=', idx).execute();
    await this.db.updateTable('procedure_runs').set({ updated_at: this.ctx.clock.now() }).where('id', '=', runId).execute();
  }

  private async setRun(runId: string, status: RunStatus, statePatch?: Record<string, unknown>): Promise<void> {
    const r = await this.db.selectFrom('procedure_runs').select('state').where('id', '=', runId).executeTakeFirstOrThrow();
    const state = { ...(JSON.parse(r.state) as Record<string, unknown>), ...statePatch };
    const now = this.ctx.clock.now();
    await this.db
      .updateTable('procedure_runs')
      .set({ status, state: JSON.stringify(state), updated_at: now, finished_at: status === 'completed' || status === 'aborted' ? now : null })
      .where('id', '=', runId)
      .execute();
  }

  /** Runs automatic steps until one needs a person, a job or time; idempotent, safe to call any time. */
  async advance(runId: string): Promise<void> {
    if (this.busy.has(runId)) return;
    this.busy.add(runId);
    try {
      for (;;) {
        const run = await this.get(runId);
        if (run.status !== 'running' && run.status !== 'waiting') return;
        const definition = this.definition(run.procedure);
        // Recurring checklists are unordered: every check runs now, people tick the rest in any order.
        if (definition.schedule !== null && (await this.advanceChecklist(run, definition))) continue;
        const step = run.steps.find((s) => s.status !== 'done' && s.status !== 'skipped');
        if (!step) {
          await this.setRun(runId, 'completed');
          await this.ctx.audit.record(SYSTEM_ACTOR, { action: 'procedure.complete', targetType: 'procedure', targetId: runId });
          await this.publish(runId, SYSTEM_ACTOR);
          return;
        }
        if (step.status === 'failed' || step.status === 'waiting') {
          if (run.status !== 'waiting' && step.status === 'waiting') {
            await this.setRun(runId, 'waiting');
            await this.publish(runId, SYSTEM_ACTOR);
          }
          if (step.status === 'failed') {
            await this.setRun(runId, 'failed');
            await this.publish(runId, SYSTEM_ACTOR);
          }
          return;
        }
        if (definition.schedule !== null) {
          if (run.status !== 'waiting') {
            await this.setRun(runId, 'waiting');
            await this.publish(runId, SYSTEM_ACTOR);
          }
          return;
        }
        const def = definition.steps(run.params)[step.index]!;
        const c: StepContext = { runId, params: run.params, state: run.state, startedAt: Number(run.state.startedAt ?? run.createdAt) };
        const now = this.ctx.clock.now();
        const progressed = await this.runStep(run, step, def, c, now);
        await this.publish(runId, SYSTEM_ACTOR);
        if (!progressed) return;
      }
    } finally {
      this.busy.delete(runId);
    }
  }

  /** Starts or polls every automatic step of a checklist; true when something changed. */
  private async advanceChecklist(run: ProcedureRun, definition: ProcedureDefinition): Promise<boolean> {
    const defs = definition.steps(run.params);
    const c: StepContext = { runId: run.id, params: run.params, state: run.state, startedAt: Number(run.state.startedAt ?? run.createdAt) };
    let changed = false;
    for (const step of run.steps) {
      if (step.status === 'done' || step.status === 'skipped' || step.status === 'failed') continue;
      const def = defs[step.index]!;
      if (def.kind === 'manual') {
        if (step.status === 'pending') {
          await this.setStep(run.id, step.index, { status: 'waiting', started_at: this.ctx.clock.now() });
          changed = true;
        }
        continue;
      }
      if (def.kind === 'check' && step.status !== 'pending') continue;
      const before = step.jobId;
      const progressed = await this.runStep(run, step, def, c, this.ctx.clock.now());
      if (progressed || (!before && (await this.get(run.id)).steps[step.index]!.jobId)) changed = true;
    }
    return changed;
  }

  private async finishStep(run: ProcedureRun, idx: number, r: StepResult, status: 'done' | 'failed' | 'waiting', by: string | null): Promise<void> {
    await this.setStep(run.id, idx, { status, result: JSON.stringify({ ok: r.ok, detail: r.detail, data: r.data ?? null }), completed_at: status === 'waiting' ? null : this.ctx.clock.now(), completed_by: status === 'done' ? by : null });
    if (r.state) await this.setRun(run.id, run.status === 'waiting' ? 'running' : (run.status as RunStatus), r.state);
    await this.ctx.audit.record(SYSTEM_ACTOR, { action: 'procedure.step', targetType: 'procedure', targetId: run.id, details: { step: run.steps[idx]!.key, status, detail: r.detail } });
  }

  /** Returns true when the step finished and the next one may run now. */
  private async runStep(run: ProcedureRun, step: ProcedureStep, def: StepDefinition, c: StepContext, now: number): Promise<boolean> {
    if (step.status === 'pending') await this.setStep(run.id, step.index, { status: 'running', started_at: now });
    switch (def.kind) {
      case 'manual':
        await this.setStep(run.id, step.index, { status: 'waiting' });
        return true;
      case 'check':
      case 'action': {
        let r: StepResult;
        try {
          r = await def.execute!(c);
        } catch (e) {
          r = { ok: false, detail: (e as Error).message };
        }
        const status = r.ok ? 'done' : def.kind === 'check' && def.onCheckFail === 'wait' ? 'waiting' : 'failed';
        await this.finishStep(run, step.index, r, status, r.ok ? 'system (automatic check)' : null);
        return true;
      }
      case 'runbook': {
        if (!step.jobId) {
          const spec = def.runbook!(c);
          if (!spec) {
            await this.finishStep(run, step.index, { ok: true, detail: 'nothing to run' }, 'done', 'system');
            return true;
          }
          try {
            const job = await this.jobs.request({ id: run.startedBy, email: `procedure:${run.procedure}`, ip: null }, { runbook: spec.runbook, params: spec.params }, { via: 'procedure' });
            await this.setStep(run.id, step.index, { job_id: job.id });
          } catch (e) {
            await this.finishStep(run, step.index, { ok: false, detail: `could not start ${spec.runbook}: ${(e as Error).message}` }, 'failed', null);
            return true;
          }
          return false;
        }
        const job = await this.jobs.get(step.jobId);
        if (!isFinished(job.status)) return false;
        const ok = job.status === 'succeeded';
        await this.finishStep(run, step.index, { ok, detail: `${job.runbook} ${job.status}: ${job.summary ?? job.reason ?? ''}`, data: { jobId: job.id }, state: ok && def.onJobResult ? def.onJobResult(job.result) : undefined }, ok ? 'done' : 'failed', ok ? 'system (job)' : null);
        return true;
      }
      case 'watch': {
        const raw = await this.db.selectFrom('procedure_steps').select(['wake_at', 'result']).where('run_id', '=', run.id).where('idx', '=', step.index).executeTakeFirstOrThrow();
        if (raw.wake_at === null) {
          const baseline = await def.baseline!(c);
          await this.setStep(run.id, step.index, { wake_at: now + def.watchMs!(c), result: JSON.stringify({ baseline }) });
          return false;
        }
        if (now < Number(raw.wake_at)) return false;
        const baseline = (JSON.parse(raw.result ?? '{}') as { baseline?: Record<string, unknown> }).baseline ?? {};
        const r = await def.evaluate!(c, baseline);
        // A rise raises the alert and is recorded; the run still completes (the alert carries it on).
        await this.finishStep(run, step.index, r, 'done', 'system (watch)');
        return true;
      }
    }
  }

  /** A person ticks a manual step (or resolves a waiting check / failed step). */
  async completeStep(actor: Actor, runId: string, key: string, input: { note?: string; outcome: 'done' | 'skipped' | 'failed' }): Promise<ProcedureRun> {
    const run = await this.get(runId);
    if (run.status === 'completed' || run.status === 'aborted') throw new AppError('conflict', `This run is ${run.status}`);
    const step = run.steps.find((s) => s.key === key);
    if (!step) throw notFound(`Step ${key}`);
    if (step.status === 'done' || step.status === 'skipped') throw new AppError('conflict', `Step ${key} is already ${step.status}`);
    const current = run.steps.find((s) => s.status !== 'done' && s.status !== 'skipped');
    const unordered = this.definition(run.procedure).schedule !== null;
    if (!unordered && current?.key !== key) throw new AppError('conflict', `Step ${key} is not the current step (${current?.key})`);
    if (step.status === 'running' && step.kind !== 'manual') throw new AppError('conflict', `Step ${key} is running automatically`);
    const now = this.ctx.clock.now();
    if (input.outcome === 'failed') {
      await this.setStep(runId, step.index, { status: 'failed', note: input.note ?? null, completed_by: actor.email, completed_at: now });
    } else {
      await this.setStep(runId, step.index, { status: input.outcome, note: input.note ?? null, completed_by: actor.email, completed_at: now });
      await this.setRun(runId, 'running');
    }
    await this.ctx.audit.record(actor, { action: 'procedure.step', targetType: 'procedure', targetId: runId, details: { step: key, status: input.outcome, note: input.note } });
    await this.advance(runId);
    return this.get(runId);
  }

  /** Re-runs a failed automatic step. */
  async retryStep(actor: Actor, runId: string, key: string): Promise<ProcedureRun> {
    const run = await this.get(runId);
    const step = run.steps.find((s) => s.key === key);
    if (!step) throw notFound(`Step ${key}`);
    if (step.status !== 'failed' && step.status !== 'waiting') throw new AppError('conflict', `Step ${key} is ${step.status}`);
    await this.setStep(runId, step.index, { status: 'pending', job_id: null, wake_at: null, result: null, completed_at: null });
    await this.setRun(runId, 'running');
    await this.ctx.audit.record(actor, { action: 'procedure.retry_step', targetType: 'procedure', targetId: runId, details: { step: key } });
    await this.advance(runId);
    return this.get(runId);
  }

  /** Abort at any step; with rollback, requests a restore of the pre-maintenance backup (approval policy applies). */
  async abort(who: Actor & { role: 'agent' | 'oncall' | 'admin' }, runId: string, input: { rollback: boolean; reason?: string }): Promise<{ run: ProcedureRun; rollbackJobId: string | null }> {
    const run = await this.get(runId);
    if (run.status === 'completed' || run.status === 'aborted') throw new AppError('conflict', `This run is already ${run.status}`);
    const now = this.ctx.clock.now();
    await this.db.updateTable('procedure_steps').set({ status: 'skipped', note: 'run aborted' }).where('run_id', '=', runId).where('status', 'in', ['pending', 'waiting', 'running']).execute();
    await this.setRun(runId, 'aborted', { abortedBy: who.email, abortReason: input.reason ?? null, abortedAt: now });
    const silenceIds = (run.state.silenceIds as string[] | undefined) ?? [];
    await this.windows.unsilence({ silenceIds });
    // A step job that finished meanwhile cannot be cancelled; anything else is logged and the abort goes on.
    for (const s of run.steps) {
      if (!s.jobId || s.status !== 'running') continue;
      await this.jobs.cancel({ ...who }, s.jobId).catch((err: unknown) => {
        if (!(err instanceof AppError)) this.ctx.lifecycle.report('procedures.abort-cancel-job', err);
      });
    }
    let rollbackJobId: string | null = null;
    if (input.rollback) {
      if (!run.rollbackBackupId) throw new AppError('conflict', 'No pre-maintenance backup was taken in this run: nothing to roll back to');
      const job = await this.jobs.request(who, { runbook: 'restore-database', params: { backupId: run.rollbackBackupId }, confirmation: 'restore-database' }, { via: 'procedure' });
      rollbackJobId = job.id;
    }
    await this.ctx.audit.record(who, { action: 'procedure.abort', targetType: 'procedure', targetId: runId, details: { rollback: input.rollback, rollbackJobId, reason: input.reason, silenceIds } });
    await this.publish(runId, who);
    return { run: await this.get(runId), rollbackJobId };
  }
}
