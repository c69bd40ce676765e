import type { Kysely, Selectable } from 'kysely';
import type { Job, JobLogLine, JobStatus } from '../../../shared/api/jobs';
import type { Database } from '../platform/db/schema';
import type { JobsTable } from './tables';

export type JobRow = Selectable<JobsTable>;

export function toJob(r: JobRow): Job {
  return {
    id: r.id,
    runbook: r.runbook,
    params: JSON.parse(r.params) as Record<string, unknown>,
    status: r.status as JobStatus,
    requestedBy: r.requested_by,
    requestedByEmail: r.requested_by_email,
    approvedBy: r.approved_by,
    approvedAt: r.approved_at,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    exitCode: r.exit_code,
    summary: r.summary,
    result: r.result === null ? null : (JSON.parse(r.result) as unknown),
    reason: r.reason,
    retryOf: r.retry_of,
    timeoutMs: Number(r.timeout_ms),
    lockKey: r.lock_key,
    logSeq: Number(r.log_seq),
    cancelRequestedAt: r.cancel_requested_at,
  };
}

/** Job rows and log lines. Every method takes an optional transaction. */
export class JobRepository {
  constructor(readonly db: Kysely<Database>) {}

  async get(id: string, trx: Kysely<Database> = this.db): Promise<JobRow | undefined> {
    return trx.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async list(q: { status?: JobStatus; runbook?: string; limit: number; before?: number }): Promise<JobRow[]> {
    let query = this.db.selectFrom('jobs').selectAll();
    if (q.status) query = query.where('status', '=', q.status);
    if (q.runbook) query = query.where('runbook', '=', q.runbook);
    if (q.before !== undefined) query = query.where('created_at', '<', q.before);
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
  }

  /** Atomically moves a queued job to running; false when another worker took it first. */
  async claim(id: string, worker: string, now: number): Promise<boolean> {
    const r = await this.db
      .updateTable('jobs')
      .set({ status: 'running', started_at: now, updated_at: now, heartbeat_at: now, worker })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async queuedIds(runbooks: ((id: string) => boolean) | null, limit: number): Promise<string[]> {
    const rows = await this.db.selectFrom('jobs').select(['id', 'runbook']).where('status', '=', 'queued').orderBy('created_at').orderBy('id').limit(limit * 4 + 20).execute();
    return rows.filter((r) => !runbooks || runbooks(r.runbook)).slice(0, limit).map((r) => r.id);
  }

  async logs(jobId: string, after: number, limit: number): Promise<JobLogLine[]> {
    const rows = await this.db
      .selectFrom('job_logs')
      .select(['seq', 'at', 'stream', 'line'])
      .where('job_id', '=', jobId)
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ seq: Number(r.seq), at: Number(r.at), stream: r.stream as JobLogLine['stream'], line: r.line }));
  }
}
