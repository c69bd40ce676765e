import type { ServiceSpec } from '../../../shared/api/services';
import type { Services } from '../app/services';
import { SYSTEM_ACTOR } from '../audit/audit-log';
import type { Config } from '../platform/config/config';
import { entryCommand } from '../platform/entries';
import { JobEvents } from './job-events';
import { LocalJobQueue } from './job-queue';
import { MAINTENANCE_TICK_MS } from '../maintenance/maintenance-windows';

/** Runbooks that also run in the job-worker processes (they need nothing but the database). */
export const PORTABLE_BUILTINS = new Set(['cleanup-logs']);

/** How often the local queue claims jobs queued by other processes. */
export const JOB_POLL_MS = 1000;

/** The job-worker processes: the backend's own workers, supervised like any other service. */
export function defaultServices(config: Config): ServiceSpec[] {
  const replicas = config.JOB_WORKERS;
  if (replicas === 0 || config.REDIS_URL) return [];
  return [
    {
      name: 'job-workers',
      description: 'OpsDesk job workers: run command runbooks and log cleanup from the shared job queue',
      driver: 'process',
      command: entryCommand('worker-main'),
      env: { DATABASE_URL: config.DATABASE_URL, DATA_DIR: config.DATA_DIR, LOG_LEVEL: config.LOG_LEVEL, OPSDESK_WORKER_CONCURRENCY: String(config.JOB_CONCURRENCY) },
      replicas,
      maxReplicas: Math.max(8, replicas),
      dependsOn: [],
      health: { kind: 'running', graceMs: 1000 },
      startTimeoutMs: 60_000,
      stopTimeoutMs: config.JOB_CANCEL_GRACE_MS + 5000,
    },
  ];
}

type OpsDeps = Pick<
  Services,
  'config' | 'clock' | 'database' | 'lifecycle' | 'changes' | 'events' | 'audit' | 'jobRepo' | 'jobRunner' | 'jobQueue' | 'jobLogs' | 'jobEvents' | 'serviceManager' | 'backupScheduler' | 'maintenanceWindows' | 'procedures'
>;

/**
 * The server's operations work on its lifecycle. At start: jobs left running by a previous process
 * become `interrupted`, the queue starts, services start in dependency order, schedules and the
 * procedure engine resume. At stop, the reverse.
 */
export function registerOperations(s: OpsDeps, workerService: boolean): void {
  const { lifecycle, config } = s;
  lifecycle.onStart('jobs.recover-interrupted', () => recoverInterrupted(s));
  lifecycle.onStart('job-queue.start', () => s.jobQueue.start());
  if (s.jobQueue instanceof LocalJobQueue) {
    const queue = s.jobQueue;
    lifecycle.every('job-queue', JOB_POLL_MS, () => queue.poll(), { immediate: true });
  }
  lifecycle.onStart('services.start', () => {
    s.serviceManager.startAll().catch((err: unknown) => {
      lifecycle.report('services.start', err);
      s.events.publish({ type: 'service.start_failed', seq: null, actor: null, data: { message: (err as Error).message }, at: s.clock.now() }, { kind: 'oncall' });
    });
  });
  if (workerService || s.jobQueue.kind === 'bullmq') relayForeignJobEvents(s);
  if (config.OPS_SCHEDULERS) s.backupScheduler.register(lifecycle);
  lifecycle.onStart('maintenance-windows.start', () => s.maintenanceWindows.tick());
  if (config.OPS_SCHEDULERS) lifecycle.every('maintenance-windows', MAINTENANCE_TICK_MS, () => s.maintenanceWindows.tick(), { once: true });
  s.procedures.register(lifecycle, config.OPS_SCHEDULERS);
  lifecycle.onStop('operations', async () => {
    await Promise.all([s.jobQueue.stop(), s.jobRunner.shutdown()]);
    await s.serviceManager.close();
  });
}

async function recoverInterrupted(ctx: OpsDeps): Promise<void> {
  const { db } = ctx.database;
  // With BullMQ several instances share the table: only jobs whose heartbeat stopped are orphans.
  let q = db.selectFrom('jobs').select(['id', 'worker']).where('status', '=', 'running');
  if (ctx.jobQueue.kind === 'bullmq') q = q.where('heartbeat_at', '<', ctx.clock.now() - 30_000);
  const rows = await q.execute();
  const events = new JobEvents(db, ctx.changes, ctx.events, ctx.audit, ctx.clock);
  for (const r of rows) {
    const now = ctx.clock.now();
    await events.transition(r.id, 'interrupted', SYSTEM_ACTOR, async (trx) => {
      await trx
        .updateTable('jobs')
        .set({ status: 'interrupted', finished_at: now, updated_at: now, reason: `the backend restarted while this job was running on ${r.worker ?? 'a worker'}; it did not finish (retry it to run again)` })
        .where('id', '=', r.id)
        .where('status', '=', 'running')
        .execute();
      await trx.deleteFrom('job_locks').where('job_id', '=', r.id).execute();
    });
  }
}

const RELAY_MS = 300;

/**
 * Jobs run by the worker processes (or by another instance with BullMQ) record their transitions in
 * the change feed of the shared database; this relays them as live `job.updated` events here.
 */
function relayForeignJobEvents(ctx: OpsDeps): void {
  let last = -1;
  ctx.lifecycle.every('job-event-relay', RELAY_MS, async () => {
    if (last < 0) last = await ctx.changes.head();
    const rows = await ctx.database.db.selectFrom('changes').select(['seq', 'entity_id', 'data', 'at']).where('entity', '=', 'job').where('seq', '>', last).orderBy('seq').limit(500).execute();
    for (const r of rows) {
      const seq = Number(r.seq);
      last = seq;
      if (ctx.jobEvents.ownSeqs.delete(seq)) continue;
      ctx.events.publish({ type: 'job.updated', seq, actor: null, data: r.data ? (JSON.parse(r.data) as unknown) : null, at: Number(r.at) }, { kind: 'oncall' });
      ctx.jobLogs.notify(r.entity_id);
    }
    for (const s of ctx.jobEvents.ownSeqs) if (s <= last) ctx.jobEvents.ownSeqs.delete(s);
  });
}
