import type { Kysely } from 'kysely';
import type { Job } from '../../../shared/api/jobs';
import type { Actor, AuditLog } from '../audit/audit-log';
import type { Database } from '../platform/db/schema';
import type { EventHub } from '../platform/realtime/event-hub';
import type { ChangeFeed } from '../sync/change-feed';
import type { Clock } from '../platform/clock';
import { toJob, type JobRow } from './job-repository';

export type JobEventName = 'requested' | 'approved' | 'rejected' | 'queued' | 'started' | 'succeeded' | 'failed' | 'cancelled' | 'cancel_requested' | 'interrupted';

/**
 * Every job transition: the row update, the change-feed entry and the audit record in one
 * transaction, then the live `job.<event>` after commit.
 */
export class JobEvents {
  /** Sequences this process published itself (the relay skips them). */
  readonly ownSeqs = new Set<number>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly changes: ChangeFeed,
    private readonly events: EventHub,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async transition(
    jobId: string,
    event: JobEventName,
    actor: Actor,
    write: (trx: Kysely<Database>) => Promise<void>,
    details?: Record<string, unknown>,
  ): Promise<Job> {
    const { job, seq } = await this.db.transaction().execute(async (trx) => {
      await write(trx);
      const row = (await trx.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow()) as JobRow;
      const job = toJob(row);
      const seq = await this.changes.record(trx, { entity: 'job', id: jobId, op: 'upsert', audience: { kind: 'oncall' }, data: job, actorId: actor.id });
      await this.audit.record(actor, { action: `job.${event}`, targetType: 'job', targetId: jobId, details: { runbook: job.runbook, status: job.status, ...details } }, trx);
      return { job, seq };
    });
    this.ownSeqs.add(seq);
    this.events.publish(
      { type: `job.${event}`, seq, actor: actor.id ? { id: actor.id, email: actor.email } : null, data: job, at: this.clock.now() },
      { kind: 'oncall' },
    );
    return job;
  }
}
