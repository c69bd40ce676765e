import type { Kysely } from 'kysely';
import type { ProcedureRun, ProcedureStep, RunStatus } from '../../../shared/api/procedures';
import { SYSTEM_ACTOR, type Actor } from '../audit/audit-log';
import type { BackupService } from '../backups/backup-service';
import type { Services } from '../app/services';
import type { Database } from '../platform/db/schema';
import { AppError, notFound } from '../platform/http/errors';
import type { Role } from '../../../shared/domain/roles';
import type { JobService, Requester } from '../jobs/job-service';
import { isFinished } from '../jobs/job-runner';
import { uuid } from '../platform/ids';
import type { OpsIntegrations } from '../maintenance/integrations';
import type { MaintenanceWindows } from '../maintenance/maintenance-windows';
import type { ServiceManager } from '../services/service-manager';
import type { ProcedureDefinition, StepContext, StepDefinition, StepResult } from './definitions';
import { procedureCatalogue, type CatalogueDeps } from './procedure-catalogue';
import { dueAtFor, levelOf } from './procedure-levels';
import { ProcedureReminders } from './procedure-reminders';
import { ProcedureRunStore } from './procedure-run-store';
import { RoleNotices } from './role-notices';
import { assertAssigned, starterOf } from './run-people';

/** Someone working a run: their role decides which runs they may work. */
type Person = Requester & { role: Role };

/** How often the lifecycle advances running procedures. */
export const PROCEDURE_TICK_MS = 1000;
/** How often overdue runs are looked for (their role is reminded once). */
export const REMINDER_TICK_MS = 60_000;
/** A checklist's check that did not pass is tried again this long after (a backup may finish meanwhile). */
export const RECHECK_MS = 5 * 60_000;

const FINISHED: ProcedureStep['status'][] = ['done', 'skipped'];

/**
 * Runs procedures: ordered steps, manual (a person ticks them) or automatic (runbook job, check,
 * action, timed watch), every result recorded. State lives in the database, so a run continues
 * where it was after a backend restart: a running job step is picked up by its job id. Jobs are
 * requested only through JobService.request, as the person who started the run or ran the step.
 */
export class ProcedureEngine {
  private readonly defs = new Map<string, ProcedureDefinition>();
  private busy = new Set<string>();
  private readonly store: ProcedureRunStore;
  readonly reminders: ProcedureReminders;

  constructor(
    private readonly ctx: CatalogueDeps['ctx'] & Pick<Services, 'lifecycle' | 'notifier'>,
    private readonly jobs: JobService,
    backups: BackupService,
    services: ServiceManager,
    integrations: OpsIntegrations,
    private readonly windows: MaintenanceWindows,
  ) {
    const notices = new RoleNotices(ctx.database.db, ctx.notifier);
    for (const d of procedureCatalogue({ ctx, backups, services, integrations, windows, notices })) this.defs.set(d.id, d);
    this.store = new ProcedureRunStore(() => this.db, ctx.clock, (id) => this.defs.get(id));
    this.reminders = new ProcedureReminders(ctx.database.db, ctx.clock, notices, (id) => this.publish(id, SYSTEM_ACTOR));
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

  /** The engine's loops: advancing running procedures, and (with schedules) the recurring checklists and reminders. */
  register(lifecycle: Services['lifecycle'], schedule: boolean): void {
    lifecycle.every('procedures', PROCEDURE_TICK_MS, () => this.tickAll(), { immediate: true, once: true });
    if (!schedule) return;
    lifecycle.every('procedure-reminders', REMINDER_TICK_MS, () => this.reminders.tick().then(() => undefined), { once: true });
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

  async create(actor: Actor, procedure: string, params: Record<string, unknown>, opts: { occurrence?: string; maintenanceId?: string; level?: string } = {}): Promise<ProcedureRun> {
    const d = this.definition(procedure);
    const level = levelOf(d, opts.level);
    try {
      d.steps(params);
    } catch (e) {
      const issues = (e as { issues?: { path: unknown[]; message: string }[] }).issues;
      if (issues) throw new AppError('validation_failed', `Invalid parameters: ${issues.map((i) => `params.${i.path.join('.')}: ${i.message}`).join('; ')}`, issues.map((i) => ({ field: ['params', ...i.path.map(String)].join('.'), message: i.message })));
      throw e;
    }
    const steps = d.steps(params);
    const id = uuid();
    const now = this.ctx.clock.now();
    const window = opts.maintenanceId ? await this.db.selectFrom('maintenance_windows').select(['id', 'current_start', 'current_end']).where('id', '=', opts.maintenanceId).executeTakeFirst() : undefined;
    if (opts.maintenanceId && !window) throw notFound('Maintenance window');
    const windowEnd = window?.current_end == null ? null : Number(window.current_end);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('procedure_runs')
        .values({ id, procedure, title: d.title, status: 'running', assigned_role: d.assignedRole, params: JSON.stringify(params), state: JSON.stringify({ maintenanceId: opts.maintenanceId ?? null, startedAt: window?.current_start ?? now }), maintenance_id: opts.maintenanceId ?? null, occurrence: opts.occurrence ?? null, started_by: actor.id, created_at: now, updated_at: now, finished_at: null, level: level?.id ?? null, due_at: dueAtFor(d, level, now, windowEnd), reminded_at: null })
        .execute();
      await trx
        .insertInto('procedure_steps')
        .values(steps.map((s, idx) => ({ run_id: id, idx, key: s.key, phase: s.phase, title: s.title, kind: s.kind, instructions: s.instructions, status: 'pending', result: null, job_id: null, completed_by: null, started_at: null, completed_at: null, wake_at: null, note: null })))
        .execute();
      await this.ctx.audit.record(actor, { action: 'procedure.start', targetType: 'procedure', targetId: id, details: { procedure, params, level: level?.id ?? null } }, trx);
    });
    await this.advance(id);
    return this.get(id);
  }

  get(id: string): Promise<ProcedureRun> {
    return this.store.get(id);
  }

  list(q: { status?: RunStatus; procedure?: string; open?: 'true' | 'false'; limit: number }): Promise<ProcedureRun[]> {
    return this.store.list(q);
  }

  private async tickAll(): Promise<void> {
    const rows = await this.db.selectFrom('procedure_runs').select('id').where('status', '=', 'running').execute();
    // Each run advances on its own (advance() skips a run already advancing), so a run waiting on a
    // slow step never holds up the others or the next round; a run that fails to advance is reported.
    for (const r of rows) void this.advance(r.id).catch(this.ctx.lifecycle.reporter('procedures.advance'));
    // Checklists wait for people, but their checks are tried again (RECHECK_MS) and their jobs followed.
    const waiting = await this.db.selectFrom('procedure_runs').select(['id', 'procedure']).where('status', '=', 'waiting').execute();
    for (const r of waiting) if (this.defs.get(r.procedure)?.schedule) void this.advance(r.id).catch(this.ctx.lifecycle.reporter('procedures.advance'));
  }

  private async publish(id: string, actor: Actor): Promise<void> {
    const run = await this.get(id);
    this.ctx.events.publish({ type: 'procedure.updated', seq: null, actor: actor.id ? { id: actor.id, email: actor.email } : null, data: run, at: this.ctx.clock.now() }, { kind: 'oncall' });
  }

  private contextOf(run: ProcedureRun): StepContext {
    return { runId: run.id, params: run.params, state: run.state, level: run.level, startedBy: run.startedBy, startedAt: Number(run.state.startedAt ?? run.createdAt) };
  }

  private async setWaiting(run: ProcedureRun): Promise<void> {
    if (run.status === 'waiting') return;
    await this.store.setRun(run.id, 'waiting');
    await this.publish(run.id, SYSTEM_ACTOR);
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
        const step = run.steps.find((s) => !FINISHED.includes(s.status));
        if (!step) {
          await this.store.setRun(runId, 'completed');
          await this.ctx.audit.record(SYSTEM_ACTOR, { action: 'procedure.complete', targetType: 'procedure', targetId: runId });
          await this.publish(runId, SYSTEM_ACTOR);
          return;
        }
        if (step.status === 'failed') {
          await this.store.setRun(runId, 'failed');
          await this.publish(runId, SYSTEM_ACTOR);
          return;
        }
        if (step.status === 'waiting' || definition.schedule !== null) return this.setWaiting(run);
        const def = definition.steps(run.params)[step.index]!;
        const progressed = await this.runStep(run, step, def, this.contextOf(run), this.ctx.clock.now());
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
    const c = this.contextOf(run);
    const now = this.ctx.clock.now();
    let changed = false;
    for (const step of run.steps) {
      if (FINISHED.includes(step.status) || step.status === 'failed') continue;
      const def = defs[step.index]!;
      if (def.kind === 'manual' || (def.kind === 'runbook' && !step.jobId)) {
        // A person ticks it, or runs its runbook as themselves.
        if (step.status === 'pending') {
          await this.store.setStep(run.id, step.index, { status: 'waiting', started_at: now });
          changed = true;
        }
        continue;
      }
      if (def.kind === 'check') {
        if (step.status === 'waiting') {
          const { wake_at } = await this.store.wakeAt(run.id, step.index);
          if (wake_at !== null && now < Number(wake_at)) continue;
        }
        await this.store.setStep(run.id, step.index, { wake_at: now + RECHECK_MS });
      }
      if (await this.runStep(run, step, def, c, now)) changed = true;
    }
    return changed;
  }

  private async finishStep(run: ProcedureRun, idx: number, r: StepResult, status: 'done' | 'failed' | 'waiting', by: string | null): Promise<void> {
    await this.store.setStep(run.id, idx, { status, result: JSON.stringify({ ok: r.ok, detail: r.detail, data: r.data ?? null }), completed_at: status === 'waiting' ? null : this.ctx.clock.now(), completed_by: status === 'done' ? by : null });
    if (r.state) await this.store.setRun(run.id, run.status === 'waiting' ? 'running' : run.status, r.state);
    await this.ctx.audit.record(SYSTEM_ACTOR, { action: 'procedure.step', targetType: 'procedure', targetId: run.id, details: { step: run.steps[idx]!.key, status, detail: r.detail } });
  }

  /** Returns true when the step finished and the next one may run now. */
  private async runStep(run: ProcedureRun, step: ProcedureStep, def: StepDefinition, c: StepContext, now: number): Promise<boolean> {
    if (step.status === 'pending') await this.store.setStep(run.id, step.index, { status: 'running', started_at: now });
    switch (def.kind) {
      case 'manual':
        await this.store.setStep(run.id, step.index, { status: 'waiting' });
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
            // An attended step with nothing to run (no backup confirmed before a restore) is a person's call.
            if (def.attended) await this.finishStep(run, step.index, { ok: false, detail: `nothing to run ${def.runbookId ?? ''} with: skip it, or go back a step` }, 'waiting', null);
            else await this.finishStep(run, step.index, { ok: true, detail: 'nothing to run' }, 'done', 'system');
            return true;
          }
          const starter = def.attended ? null : await starterOf(this.db, run);
          if (!starter) {
            await this.finishStep(run, step.index, { ok: false, detail: `run ${spec.runbook} to continue` }, 'waiting', null);
            return true;
          }
          try {
            const job = await this.jobs.request(starter, { runbook: spec.runbook, params: spec.params }, { via: 'procedure' });
            await this.store.setStep(run.id, step.index, { job_id: job.id });
          } catch (e) {
            await this.finishStep(run, step.index, { ok: false, detail: `could not start ${spec.runbook}: ${(e as Error).message}` }, 'failed', null);
            return true;
          }
          return false;
        }
        const job = await this.jobs.get(step.jobId);
        if (!isFinished(job.status)) {
          // Said on the step while it waits, so nobody wonders why a restore does not start.
          const detail = job.status === 'awaiting_approval' ? `${job.runbook} waits for approval (Jobs)` : `${job.runbook} ${job.status}`;
          if ((step.result as { detail?: string } | null)?.detail !== detail) await this.store.setStep(run.id, step.index, { result: JSON.stringify({ ok: false, detail, data: { jobId: job.id } }) });
          return false;
        }
        const ok = job.status === 'succeeded';
        await this.finishStep(run, step.index, { ok, detail: `${job.runbook} ${job.status}: ${job.summary ?? job.reason ?? ''}`, data: { jobId: job.id }, state: ok && def.onJobResult ? def.onJobResult(job.result) : undefined }, ok ? 'done' : 'failed', ok ? 'system (job)' : null);
        return true;
      }
      case 'watch': {
        const raw = await this.store.wakeAt(run.id, step.index);
        if (raw.wake_at === null) {
          const baseline = await def.baseline!(c);
          await this.store.setStep(run.id, step.index, { wake_at: now + def.watchMs!(c), result: JSON.stringify({ baseline }) });
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

  /** The run and step a person acts on: the run still live, the step known and (in order) the current one. */
  private async actionable(runId: string, key: string, role: Role): Promise<{ run: ProcedureRun; step: ProcedureStep }> {
    const run = await this.get(runId);
    assertAssigned(run, role);
    if (run.status === 'completed' || run.status === 'aborted') throw new AppError('conflict', `This run is ${run.status}`);
    const step = run.steps.find((s) => s.key === key);
    if (!step) throw notFound(`Step ${key}`);
    if (FINISHED.includes(step.status)) throw new AppError('conflict', `Step ${key} is already ${step.status}`);
    const current = run.steps.find((s) => !FINISHED.includes(s.status));
    if (this.definition(run.procedure).schedule === null && current?.key !== key) throw new AppError('conflict', `Step ${key} is not the current step (${current?.key})`);
    return { run, step };
  }

  /** A person ticks a manual step (or resolves a waiting check / failed step). */
  async completeStep(actor: Person, runId: string, key: string, input: { note?: string; outcome: 'done' | 'skipped' | 'failed' }): Promise<ProcedureRun> {
    const { step } = await this.actionable(runId, key, actor.role);
    if (step.status === 'running' && step.kind !== 'manual') throw new AppError('conflict', `Step ${key} is running automatically`);
    await this.store.setStep(runId, step.index, { status: input.outcome, note: input.note ?? null, completed_by: actor.email, completed_at: this.ctx.clock.now() });
    if (input.outcome !== 'failed') await this.store.setRun(runId, 'running');
    await this.ctx.audit.record(actor, { action: 'procedure.step', targetType: 'procedure', targetId: runId, details: { step: key, status: input.outcome, note: input.note } });
    await this.advance(runId);
    return this.get(runId);
  }

  /**
   * A person runs a runbook step's job as themselves, through the job service's one request path:
   * their role, the typed confirmation of a destructive runbook and the approval policy all apply.
   */
  async runStepJob(who: Person, runId: string, key: string, confirmation: string | undefined): Promise<ProcedureRun> {
    const { run, step } = await this.actionable(runId, key, who.role);
    const def = this.definition(run.procedure).steps(run.params)[step.index]!;
    if (def.kind !== 'runbook') throw new AppError('conflict', `Step ${key} runs no runbook`);
    if (step.jobId && step.status === 'running') throw new AppError('conflict', `Step ${key} already runs job ${step.jobId}`);
    const spec = def.runbook!(this.contextOf(run));
    if (!spec) throw new AppError('unprocessable', `Step ${key} has nothing to run yet: finish the steps before it`);
    const job = await this.jobs.request(who, { runbook: spec.runbook, params: spec.params, confirmation }, { via: 'procedure' });
    await this.store.setStep(runId, step.index, { status: 'running', job_id: job.id, result: null, started_at: this.ctx.clock.now(), completed_at: null });
    await this.store.setRun(runId, 'running');
    await this.ctx.audit.record(who, { action: 'procedure.run_step', targetType: 'procedure', targetId: runId, details: { step: key, runbook: spec.runbook, jobId: job.id, jobStatus: job.status } });
    await this.advance(runId);
    return this.get(runId);
  }

  /** A note on a step, kept with its author and time (any number per step, at any time). */
  async addNote(actor: Actor, runId: string, key: string, body: string): Promise<ProcedureRun> {
    const run = await this.get(runId);
    if (!run.steps.some((s) => s.key === key)) throw notFound(`Step ${key}`);
    await this.store.addNote(runId, key, actor.email ?? 'unknown', body);
    await this.ctx.audit.record(actor, { action: 'procedure.note', targetType: 'procedure', targetId: runId, details: { step: key } });
    await this.publish(runId, actor);
    return this.get(runId);
  }

  /** Re-runs a failed automatic step, or re-checks a waiting one now. */
  async retryStep(actor: Person, runId: string, key: string): Promise<ProcedureRun> {
    const run = await this.get(runId);
    assertAssigned(run, actor.role);
    const step = run.steps.find((s) => s.key === key);
    if (!step) throw notFound(`Step ${key}`);
    if (step.status !== 'failed' && step.status !== 'waiting') throw new AppError('conflict', `Step ${key} is ${step.status}`);
    await this.store.setStep(runId, step.index, { status: 'pending', job_id: null, wake_at: null, result: null, completed_at: null });
    await this.store.setRun(runId, 'running');
    await this.ctx.audit.record(actor, { action: 'procedure.retry_step', targetType: 'procedure', targetId: runId, details: { step: key } });
    await this.advance(runId);
    return this.get(runId);
  }

  /** Abort at any step; with rollback, requests a restore of the pre-maintenance backup (approval policy applies). */
  async abort(who: Requester, runId: string, input: { rollback: boolean; reason?: string }): Promise<{ run: ProcedureRun; rollbackJobId: string | null }> {
    const run = await this.get(runId);
    if (run.status === 'completed' || run.status === 'aborted') throw new AppError('conflict', `This run is already ${run.status}`);
    const now = this.ctx.clock.now();
    await this.db.updateTable('procedure_steps').set({ status: 'skipped', note: 'run aborted' }).where('run_id', '=', runId).where('status', 'in', ['pending', 'waiting', 'running']).execute();
    await this.store.setRun(runId, 'aborted', { abortedBy: who.email, abortReason: input.reason ?? null, abortedAt: now });
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
