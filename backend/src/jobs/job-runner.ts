import type { Kysely } from 'kysely';
import { FINISHED_JOB_STATUSES, type JobStatus } from '../../../shared/api/jobs';
import { SYSTEM_ACTOR, type Actor } from '../audit/audit-log';
import type { Database } from '../platform/db/schema';
import type { Clock } from '../platform/clock';
import type { RunbookCatalogue } from '../runbooks/catalogue';
import { RunbookFailure, type JobExecution, type JobOutcome } from '../runbooks/runbook';
import { runChild } from './child-process';
import type { JobEvents } from './job-events';
import { JobLogWriter } from './job-log-writer';
import type { JobRepository } from './job-repository';
import type { LogBus } from './log-bus';

const HEARTBEAT_MS = 1000;

interface ActiveJob {
  controller: AbortController;
  reason: 'cancel' | 'timeout' | 'shutdown' | null;
  done: Promise<void>;
  /** Runs to its end through a shutdown (a restore half done is worse than a slow stop). */
  holdsShutdown?: boolean;
}

export interface JobRunnerOptions {
  worker: string;
  cancelGraceMs: number;
  /** A failed heartbeat write (the database is unreachable: the next beat tries again). */
  onError: (what: 'job-runner.heartbeat', err: unknown) => void;
}

/** Runs one claimed job to its end: log, timeout, cancel, outcome, lock release. */
export class JobRunner {
  private readonly active = new Map<string, ActiveJob>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly repo: JobRepository,
    private readonly catalogue: RunbookCatalogue,
    private readonly jobEvents: JobEvents,
    private readonly bus: LogBus,
    private readonly clock: Clock,
    private readonly options: JobRunnerOptions,
  ) {}

  get activeCount(): number {
    return this.active.size;
  }

  isActive(jobId: string): boolean {
    return this.active.has(jobId);
  }

  /** Claims the job if still queued and runs it; resolves when it has finished. */
  async run(jobId: string): Promise<void> {
    if (!(await this.repo.claim(jobId, this.options.worker, this.clock.now()))) return;
    let resolveDone!: () => void;
    const entry: ActiveJob = { controller: new AbortController(), reason: null, done: new Promise((r) => (resolveDone = r)) };
    this.active.set(jobId, entry);
    try {
      await this.execute(jobId, entry);
    } finally {
      this.active.delete(jobId);
      resolveDone();
    }
  }

  /** Aborts a job running in this process (cancel: graceful, then forced for child processes). */
  abort(jobId: string, reason: 'cancel' | 'shutdown'): boolean {
    const entry = this.active.get(jobId);
    if (!entry) return false;
    entry.reason ??= reason;
    entry.controller.abort(reason);
    return true;
  }

  /** Whether a job that shutdown waits for (a restore) is running here. */
  get holdingShutdown(): boolean {
    return [...this.active.values()].some((e) => e.holdsShutdown);
  }

  /** Stops every job in this process and marks it interrupted; waits for those that hold shutdown. */
  async shutdown(): Promise<void> {
    const entries = [...this.active.entries()];
    for (const [id, e] of entries) if (!e.holdsShutdown) this.abort(id, 'shutdown');
    await Promise.all(entries.map(([, e]) => e.done));
  }

  private async execute(jobId: string, entry: ActiveJob): Promise<void> {
    const row = (await this.repo.get(jobId))!;
    entry.holdsShutdown = (await this.catalogue.find(row.runbook))?.holdsShutdown ?? false;
    const requester: Actor = { id: row.requested_by, email: row.requested_by_email, ip: null };
    const writer = new JobLogWriter(this.db, jobId, Number(row.log_seq), this.clock, this.bus);
    const started = await this.jobEvents.transition(jobId, 'started', SYSTEM_ACTOR, async () => {}, { worker: this.options.worker });
    this.bus.notify(jobId);
    const timeoutMs = Number(row.timeout_ms);
    const timeout = setTimeout(() => {
      entry.reason ??= 'timeout';
      entry.controller.abort('timeout');
    }, timeoutMs);
    // Heartbeat, and cancel requests made on another instance (BullMQ mode).
    const heartbeat = setInterval(() => {
      void this.db
        .updateTable('jobs')
        .set({ heartbeat_at: this.clock.now() })
        .where('id', '=', jobId)
        .returning('cancel_requested_at')
        .executeTakeFirst()
        .then((r) => {
          if (r?.cancel_requested_at && !entry.controller.signal.aborted) this.abort(jobId, 'cancel');
        })
        .catch((err: unknown) => this.options.onError('job-runner.heartbeat', err));
    }, HEARTBEAT_MS);
    heartbeat.unref();

    const log = (line: string, stream: 'out' | 'err' | 'info' = 'info') => void writer.write(stream, line);
    let status: JobStatus = 'succeeded';
    let outcome: JobOutcome | null = null;
    let reason: string | null = null;
    let exitCode: number | null = 0;
    let result: unknown = null;
    try {
      const runbook = await this.catalogue.get(row.runbook);
      const params = runbook.schema.parse(JSON.parse(row.params)) as Record<string, unknown>;
      const exec: JobExecution<Record<string, unknown>> = {
        jobId,
        params,
        requester,
        signal: entry.controller.signal,
        log,
        spawn: (argv, opts = {}) => {
          log(`$ ${argv.map(quoteForDisplay).join(' ')}`);
          return runChild(argv, { ...opts, signal: entry.controller.signal, graceMs: this.options.cancelGraceMs, log: (s, l) => writer.write(s, l), drained: () => writer.drained() });
        },
      };
      log(`Job ${jobId}: ${runbook.title} started by ${requester.email ?? 'system'}`);
      outcome = await runbook.run(exec);
      exitCode = outcome.exitCode ?? 0;
      result = outcome.result ?? null;
      if (entry.controller.signal.aborted) throw new Error('aborted');
    } catch (err) {
      if (err instanceof RunbookFailure) {
        exitCode = err.exitCode;
        result = err.result ?? null;
      } else exitCode = exitCode === 0 ? null : exitCode;
      const message = (err as Error).message;
      if (entry.reason === 'cancel') {
        status = 'cancelled';
        reason = 'cancelled on request';
      } else if (entry.reason === 'timeout') {
        status = 'failed';
        reason = `timed out after ${Math.round(timeoutMs / 1000)} s`;
      } else if (entry.reason === 'shutdown') {
        status = 'interrupted';
        reason = 'the backend shut down while this job was running; it did not finish (retry it to run again)';
      } else {
        status = 'failed';
        reason = message;
      }
      log(`${status}: ${reason}`, 'err');
    } finally {
      clearTimeout(timeout);
      clearInterval(heartbeat);
    }
    if (status === 'succeeded') log(`succeeded: ${outcome?.summary ?? ''}`);
    try {
      await writer.close();
    } catch (err) {
      if (status === 'succeeded') {
        status = 'failed';
        reason = `could not persist the log: ${(err as Error).message}`;
      }
    }
    const now = this.clock.now();
    const summary = status === 'succeeded' ? (outcome?.summary ?? null) : (outcome?.summary ?? reason);
    const event = status === 'succeeded' ? 'succeeded' : status === 'cancelled' ? 'cancelled' : status === 'interrupted' ? 'interrupted' : 'failed';
    await this.jobEvents.transition(
      jobId,
      event,
      SYSTEM_ACTOR,
      async (trx) => {
        await trx
          .updateTable('jobs')
          .set({ status, finished_at: now, updated_at: now, exit_code: exitCode, summary, reason, result: result === null ? null : JSON.stringify(result), log_seq: writer.lastSeq })
          .where('id', '=', jobId)
          .execute();
        await trx.deleteFrom('job_locks').where('job_id', '=', jobId).execute();
      },
      { result: status, exitCode, reason, startedAt: started.startedAt },
    );
    this.bus.notify(jobId);
  }
}

export function isFinished(status: string): boolean {
  return (FINISHED_JOB_STATUSES as readonly string[]).includes(status);
}

function quoteForDisplay(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
