import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { ApprovalPolicy, Job, JobLogPage, JobRequest } from '../../../shared/api/jobs';
import type { ApprovalRule } from './approval-policy';
import { hasRole, type Role } from '../../../shared/domain/roles';
import type { Actor } from '../audit/audit-log';
import type { Database } from '../platform/db/schema';
import { AppError, notFound } from '../platform/http/errors';
import type { Clock } from '../platform/clock';
import { uuid, type IdGenerator } from '../platform/ids';
import type { RunbookCatalogue } from '../runbooks/catalogue';
import type { AnyRunbook } from '../runbooks/runbook';
import type { JobEvents } from './job-events';
import type { JobQueue } from './job-queue';
import { toJob, type JobRepository } from './job-repository';
import { isFinished, type JobRunner } from './job-runner';

/** Who asks: a person (their stored role is what counts; `role` may only lower it, e.g. a token's) or the system (id null). */
export interface Requester extends Actor {
  id: string | null;
  role?: Role;
}

/** Which path asked for the job (recorded on the job's `requested` event); no origin skips a rule. */
export interface JobOrigin {
  via: 'api' | 'procedure' | 'schedule' | 'retry' | 'cli';
  retryOf?: string;
}

export interface JobPolicy {
  /** Runbooks whose runs need a second admin's approval. */
  approvalRequired: Set<string>;
  /** Who may approve (a second admin, or a solo admin with their password). */
  approvals: ApprovalRule;
}

/** Requesting, approving, cancelling and retrying jobs; permissions, confirmation and locks. */
export class JobService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly repo: JobRepository,
    private readonly catalogue: RunbookCatalogue,
    private readonly jobEvents: JobEvents,
    private readonly runner: JobRunner,
    private readonly queue: () => JobQueue,
    private readonly clock: Clock,
    private readonly policy: JobPolicy,
    private readonly newId: IdGenerator = uuid,
  ) {}

  async get(id: string): Promise<Job> {
    const row = await this.repo.get(id);
    if (!row) throw notFound('Job');
    return toJob(row);
  }

  /**
   * Validates and records a job. Order of refusals: unknown runbook 404, role 403, parameters 400
   * (every field listed), state checks 404/422, confirmation 400, conflicting lock 409.
   */
  async request(who: Requester, input: JobRequest, origin: JobOrigin = { via: 'api' }): Promise<Job> {
    const runbook = await this.catalogue.get(input.runbook);
    const actor = await this.resolve(who);
    if (!hasRole(actor.role, 'oncall')) throw new AppError('forbidden', 'Agents cannot run runbooks');
    if (!hasRole(actor.role, runbook.minRole)) throw new AppError('forbidden', `Runbook ${runbook.id} needs the ${runbook.minRole} role`);
    const params = parseParams(runbook, input.params);
    const destructive = runbook.destructive(params);
    const needsApproval = this.policy.approvalRequired.has(runbook.id) || (runbook.approvalByDefault ?? false);
    if (actor.id === null && (destructive || needsApproval)) throw new AppError('forbidden', `${runbook.id} needs a person: the system (${who.email ?? 'a schedule'}) may not request it`);
    if (destructive && actor.role !== 'admin') throw new AppError('forbidden', `${runbook.id} with these parameters is destructive: only admins may run it`);
    await runbook.precheck?.(params);
    if (destructive && input.confirmation !== runbook.id) {
      throw new AppError('validation_failed', `This is destructive: type "${runbook.id}" in confirmation to proceed`, [
        { field: 'body.confirmation', message: `must be "${runbook.id}"` },
      ]);
    }
    const id = this.newId();
    const now = this.clock.now();
    const lockKey = runbook.lockKey(params);
    const job = await this.jobEvents.transition(
      id,
      'requested',
      actor,
      async (trx) => {
        await trx
          .insertInto('jobs')
          .values({
            id,
            runbook: runbook.id,
            params: JSON.stringify(params),
            status: needsApproval ? 'awaiting_approval' : 'queued',
            requested_by: actor.id,
            requested_by_email: actor.email,
            approved_by: null,
            approved_at: null,
            created_at: now,
            updated_at: now,
            started_at: null,
            finished_at: null,
            exit_code: null,
            summary: null,
            result: null,
            reason: null,
            retry_of: origin.retryOf ?? null,
            timeout_ms: runbook.timeoutMs,
            lock_key: lockKey,
            log_seq: 0,
            cancel_requested_at: null,
            worker: null,
            heartbeat_at: null,
          })
          .execute();
        if (lockKey) await this.takeLock(trx, lockKey, id, now);
      },
      { params, destructive, needsApproval, via: origin.via, retryOf: origin.retryOf ?? null },
    );
    if (job.status === 'queued') await this.queue().enqueue(id);
    return job;
  }

  /**
   * The real actor: a person's stored role and email (a claimed role can only lower it); an unknown
   * or disabled person is refused; the system (id null) counts as on-call.
   */
  private async resolve(who: Requester): Promise<{ id: string | null; email: string | null; ip: string | null; role: Role }> {
    if (who.id === null) return { ...who, role: 'oncall' };
    const user = await this.db.selectFrom('users').select(['email', 'role', 'disabled']).where('id', '=', who.id).executeTakeFirst();
    if (!user || user.disabled) throw new AppError('forbidden', 'The requester is not an active user');
    const role = who.role && !hasRole(who.role, user.role) ? who.role : user.role;
    return { id: who.id, email: user.email, ip: who.ip, role };
  }

  private async takeLock(trx: Kysely<Database>, lockKey: string, jobId: string, now: number): Promise<void> {
    const holder = await trx.selectFrom('job_locks').innerJoin('jobs', 'jobs.id', 'job_locks.job_id').select(['jobs.id', 'jobs.runbook', 'jobs.status']).where('job_locks.lock_key', '=', lockKey).executeTakeFirst();
    if (holder) throw conflictWith(holder, lockKey);
    const r = await trx.insertInto('job_locks').values({ lock_key: lockKey, job_id: jobId, acquired_at: now }).onConflict((oc) => oc.column('lock_key').doNothing()).executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0) !== 1) {
      const h = await trx.selectFrom('job_locks').innerJoin('jobs', 'jobs.id', 'job_locks.job_id').select(['jobs.id', 'jobs.runbook', 'jobs.status']).where('job_locks.lock_key', '=', lockKey).executeTakeFirst();
      throw conflictWith(h ?? { id: 'another job', runbook: '?', status: '?' }, lockKey);
    }
  }

  approvalPolicy(): Promise<ApprovalPolicy> {
    return this.policy.approvals.policy();
  }

  async approve(who: Requester, jobId: string, password?: string): Promise<Job> {
    const actor = await this.resolve(who);
    if (actor.role !== 'admin') throw new AppError('forbidden', 'Only admins approve jobs');
    const row = await this.repo.get(jobId);
    if (!row) throw notFound('Job');
    if (row.status !== 'awaiting_approval') throw new AppError('conflict', `Job ${jobId} is ${row.status}, not awaiting approval`);
    const rule = row.requested_by === actor.id ? await this.policy.approvals.selfApproval(actor.id!, password) : 'second-admin';
    const now = this.clock.now();
    const job = await this.jobEvents.transition(
      jobId,
      'approved',
      actor,
      async (trx) => {
        const r = await trx.updateTable('jobs').set({ status: 'queued', approved_by: actor.id, approved_at: now, updated_at: now }).where('id', '=', jobId).where('status', '=', 'awaiting_approval').executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) throw new AppError('conflict', `Job ${jobId} is no longer awaiting approval`);
      },
      { rule },
    );
    await this.queue().enqueue(jobId);
    return job;
  }

  async reject(who: Requester, jobId: string, reason: string | undefined): Promise<Job> {
    const actor = await this.resolve(who);
    if (actor.role !== 'admin') throw new AppError('forbidden', 'Only admins reject jobs');
    const row = await this.repo.get(jobId);
    if (!row) throw notFound('Job');
    if (row.status !== 'awaiting_approval') throw new AppError('conflict', `Job ${jobId} is ${row.status}, not awaiting approval`);
    const now = this.clock.now();
    return this.jobEvents.transition(jobId, 'rejected', actor, async (trx) => {
      await trx.updateTable('jobs').set({ status: 'cancelled', reason: `rejected by ${actor.email}${reason ? `: ${reason}` : ''}`, finished_at: now, updated_at: now }).where('id', '=', jobId).execute();
      await trx.deleteFrom('job_locks').where('job_id', '=', jobId).execute();
    });
  }

  /** Queued or awaiting jobs are cancelled at once; running ones are stopped (graceful, then forced). */
  async cancel(who: Requester, jobId: string): Promise<Job> {
    const row = await this.repo.get(jobId);
    if (!row) throw notFound('Job');
    const actor = await this.resolve(who);
    // The system cancels on a running job's behalf (purge-queue); people need the runbook's role.
    if (actor.id !== null && !hasRole(actor.role, 'oncall')) throw new AppError('forbidden', 'Agents cannot cancel jobs');
    const runbook = await this.catalogue.find(row.runbook);
    if (actor.id !== null && runbook && !hasRole(actor.role, runbook.minRole)) throw new AppError('forbidden', `Cancelling ${row.runbook} needs the ${runbook.minRole} role`);
    if (isFinished(row.status)) throw new AppError('conflict', `Job ${jobId} already ${row.status}`);
    const now = this.clock.now();
    if (row.status === 'queued' || row.status === 'awaiting_approval') {
      return this.jobEvents.transition(jobId, 'cancelled', actor, async (trx) => {
        const r = await trx.updateTable('jobs').set({ status: 'cancelled', reason: `cancelled by ${actor.email} before it started`, finished_at: now, updated_at: now, cancel_requested_at: now }).where('id', '=', jobId).where('status', 'in', ['queued', 'awaiting_approval']).executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) throw new AppError('conflict', `Job ${jobId} started meanwhile; cancel again`);
        await trx.deleteFrom('job_locks').where('job_id', '=', jobId).execute();
      });
    }
    const job = await this.jobEvents.transition(jobId, 'cancel_requested', actor, async (trx) => {
      await trx.updateTable('jobs').set({ cancel_requested_at: now, updated_at: now }).where('id', '=', jobId).execute();
    });
    this.runner.abort(jobId, 'cancel');
    return job;
  }

  async retry(who: Requester, jobId: string, confirmation: string | undefined): Promise<Job> {
    const row = await this.repo.get(jobId);
    if (!row) throw notFound('Job');
    if (!['failed', 'cancelled', 'interrupted'].includes(row.status)) throw new AppError('conflict', `Only failed, cancelled or interrupted jobs can be retried; ${jobId} is ${row.status}`);
    return this.request(who, { runbook: row.runbook, params: JSON.parse(row.params) as Record<string, unknown>, confirmation }, { via: 'retry', retryOf: jobId });
  }

  /** Waits until a job reaches a final status (used by procedures and the CLI). */
  async waitFor(jobId: string, timeoutMs: number, pollMs = 100): Promise<Job> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await this.get(jobId);
      if (isFinished(job.status)) return job;
      if (Date.now() > deadline) throw new AppError('unavailable', `Job ${jobId} did not finish within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  async list(query: Parameters<JobRepository['list']>[0]): Promise<Job[]> {
    return (await this.repo.list(query)).map(toJob);
  }

  /** A runbook's log is for those who may run it: 403 for a lower role. */
  async canReadLog(role: Role, runbookId: string): Promise<boolean> {
    const runbook = await this.catalogue.find(runbookId);
    return hasRole(role, runbook?.minRole ?? 'admin');
  }

  private async readable(who: { role: Role }, jobId: string): Promise<Job> {
    const job = await this.get(jobId);
    if (!(await this.canReadLog(who.role, job.runbook))) throw new AppError('forbidden', `The log of ${job.runbook} needs the role that runs it`);
    return job;
  }

  /** Log lines after `after`; `done` once the job has finished and its last line was read. */
  async logPage(who: { role: Role }, jobId: string, after: number, limit: number): Promise<JobLogPage> {
    const job = await this.readable(who, jobId);
    const lines = await this.repo.logs(job.id, after, limit);
    const lastSeq = lines.length ? lines[lines.length - 1]!.seq : after;
    return { jobId: job.id, lines, lastSeq, done: isFinished(job.status) && lastSeq >= job.logSeq };
  }

  /** The whole log as text lines (`<ISO time> <stream> <line>`), read page by page: a 404 comes before the first chunk. */
  async logText(who: { role: Role }, jobId: string): Promise<{ job: Job; chunks: AsyncIterable<string> }> {
    const job = await this.readable(who, jobId);
    const repo = this.repo;
    async function* chunks(): AsyncGenerator<string> {
      let after = 0;
      for (;;) {
        const page = await repo.logs(job.id, after, 5000);
        if (!page.length) return;
        yield page.map((l) => `${new Date(l.at).toISOString()} ${l.stream.padEnd(4)} ${l.line}\n`).join('');
        after = page[page.length - 1]!.seq;
      }
    }
    return { job, chunks: chunks() };
  }
}

function conflictWith(holder: { id: string; runbook: string; status: string }, lockKey: string): AppError {
  return new AppError('conflict', `Conflicts with job ${holder.id} (${holder.runbook}, ${holder.status}) holding ${lockKey}; wait for it or cancel it`, {
    jobId: holder.id,
    runbook: holder.runbook,
    status: holder.status,
    lock: lockKey,
  });
}

/** Schema failures become a 400 listing every field. */
export function parseParams(runbook: AnyRunbook, raw: unknown): Record<string, unknown> {
  const r = (runbook.schema as z.ZodType).safeParse(raw ?? {});
  if (r.success) return r.data as Record<string, unknown>;
  const details = r.error.issues.map((i) => ({ field: ['params', ...i.path.map(String)].join('.'), message: i.message }));
  throw new AppError('validation_failed', `Invalid parameters for ${runbook.id}: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`, details);
}
