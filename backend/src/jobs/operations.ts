import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceSpec } from '../../../shared/api/services';
import { SYSTEM_ACTOR } from '../audit/audit-log';
import { BackupService, type BackupNotifier } from '../backups/backup-service';
import { BackupScheduler } from '../backups/backup-scheduler';
import { parseRetention } from '../backups/retention';
import type { AppContext } from '../context';
import type { LiveServer } from '../realtime/live-server';
import { builtinRunbooks } from '../runbooks/builtin-runbooks';
import { RunbookCatalogue } from '../runbooks/catalogue';
import { ProcessDriver } from '../services/process-driver';
import { loadServiceSpecs, ServiceManager } from '../services/service-manager';
import { SystemdDriver } from '../services/systemd-driver';
import { JobEvents } from './job-events';
import { BullJobQueue, LocalJobQueue, type JobQueue } from './job-queue';
import { JobRepository } from './job-repository';
import { JobRunner } from './job-runner';
import { JobService } from './job-service';
import { jobLogSubscriptions } from './log-subscriptions';
import { LogBus } from './log-bus';
import { OpsIntegrations } from '../maintenance/integrations';
import { MaintenanceWindows } from '../maintenance/maintenance-windows';
import { ProcedureEngine } from '../procedures/procedure-engine';

/** Runbooks that also run in the job-worker processes (they need nothing but the database). */
export const PORTABLE_BUILTINS = new Set(['cleanup-logs']);

export interface Operations {
  catalogue: RunbookCatalogue;
  repo: JobRepository;
  runner: JobRunner;
  queue: JobQueue;
  jobs: JobService;
  bus: LogBus;
  services: ServiceManager;
  backups: BackupService;
  scheduler: BackupScheduler;
  integrations: OpsIntegrations;
  windows: MaintenanceWindows;
  procedures: ProcedureEngine;
  /** Whether worker processes (the job-workers service) run the portable runbooks. */
  workerService: boolean;
  jobEvents: JobEvents;
}

const built = new WeakMap<AppContext, Operations>();

/** The job-worker processes: the backend's own workers, supervised like any other service. */
export function defaultServices(ctx: AppContext): ServiceSpec[] {
  const replicas = ctx.config.JOB_WORKERS;
  if (replicas === 0 || ctx.config.REDIS_URL) return [];
  const entry = fileURLToPath(new URL('./worker-main.ts', import.meta.url));
  return [
    {
      name: 'job-workers',
      description: 'OpsDesk job workers: run command runbooks and log cleanup from the shared job queue',
      driver: 'process',
      command: [process.execPath, '--import', 'tsx', entry],
      env: { DATABASE_URL: ctx.config.DATABASE_URL, DATA_DIR: ctx.config.DATA_DIR, LOG_LEVEL: ctx.config.LOG_LEVEL, OPSDESK_WORKER_CONCURRENCY: String(ctx.config.JOB_CONCURRENCY) },
      replicas,
      maxReplicas: Math.max(8, replicas),
      dependsOn: [],
      health: { kind: 'running', graceMs: 1000 },
      startTimeoutMs: 60_000,
      stopTimeoutMs: ctx.config.JOB_CANCEL_GRACE_MS + 5000,
    },
  ];
}

/** Builds (once per context) everything issue 6 adds; used by the server and the CLI alike. */
export function operations(ctx: AppContext): Operations {
  const existing = built.get(ctx);
  if (existing) return existing;
  const { db } = ctx.database;
  const approvalRequired = new Set(ctx.config.APPROVAL_REQUIRED_RUNBOOKS.split(',').map((s) => s.trim()).filter(Boolean));
  const catalogue = new RunbookCatalogue(db, ctx.audit, ctx.clock, approvalRequired);
  const repo = new JobRepository(db);
  const bus = new LogBus();
  const jobEvents = new JobEvents(db, ctx.changes, ctx.events, ctx.audit, ctx.clock);
  const runner = new JobRunner(db, repo, catalogue, jobEvents, bus, ctx.clock, { worker: `${os.hostname()}:${process.pid}`, cancelGraceMs: ctx.config.JOB_CANCEL_GRACE_MS });
  const specs = loadServiceSpecs(ctx.config.SERVICES_FILE, defaultServices(ctx));
  const workerService = specs.some((s) => s.name === 'job-workers' && s.driver === 'process' && !ctx.config.SERVICES_FILE);
  const services = new ServiceManager(specs, { process: new ProcessDriver(), systemd: new SystemdDriver() });
  const accepts = (runbook: string) => !workerService || !(PORTABLE_BUILTINS.has(runbook) || !catalogue.isBuiltin(runbook));
  const queue: JobQueue = ctx.config.REDIS_URL
    ? new BullJobQueue(ctx.config.REDIS_URL, repo, runner, ctx.config.JOB_CONCURRENCY, () => true)
    : new LocalJobQueue(repo, runner, ctx.config.JOB_CONCURRENCY, accepts);
  const jobs = new JobService(db, repo, catalogue, jobEvents, runner, () => queue, ctx.clock, { approvalRequired });
  const integrations = new OpsIntegrations(ctx);
  const notifier: BackupNotifier = {
    backupFinished: (b) =>
      void db
        .transaction()
        .execute((trx) => ctx.changes.record(trx, { entity: 'backup', id: b.id, op: 'upsert', audience: { kind: 'oncall' }, data: b }))
        .then((seq) => ctx.events.publish({ type: 'backup.completed', seq, actor: null, data: b, at: ctx.clock.now() }, { kind: 'oncall' }))
        .catch(() => {}),
    backupFailed: (kind, error) => {
      ctx.events.publish({ type: 'backup.failed', seq: null, actor: null, data: { kind, error }, at: ctx.clock.now() }, { kind: 'oncall' });
      void integrations.raiseAlert({ name: 'BackupFailed', severity: 'high', summary: `${kind} backup failed: ${error}`, labels: { component: 'backup' } });
    },
    restoreFinished: (o) => ctx.events.publish({ type: o.ok ? 'backup.restored' : 'backup.restore_failed', seq: null, actor: null, data: o, at: ctx.clock.now() }, { kind: 'all' }),
  };
  const backupDir = ctx.config.BACKUP_DIR ?? path.join(ctx.config.DATA_DIR, 'backups');
  mkdirSync(backupDir, { recursive: true });
  const backups = new BackupService(ctx.database, ctx.config.DATABASE_URL, backupDir, ctx.clock, ctx.audit, ctx.maintenance, parseRetention(ctx.config.BACKUP_RETENTION), ctx.config.BACKUP_MIN_FREE_MB * 1048576, notifier);
  for (const r of builtinRunbooks({
    handle: ctx.database,
    backups,
    services,
    health: ctx.health,
    clock: ctx.clock,
    logDir: path.join(ctx.config.DATA_DIR, 'logs'),
    purgeQueued: async (runbook, exceptJobId) => {
      let q = db.selectFrom('jobs').select('id').where('status', '=', 'queued').where('id', '!=', exceptJobId);
      if (runbook) q = q.where('runbook', '=', runbook);
      const ids = (await q.execute()).map((r) => r.id);
      let n = 0;
      for (const id of ids) {
        try {
          await jobs.cancel({ ...SYSTEM_ACTOR, email: 'purge-queue', role: 'admin' }, id);
          n++;
        } catch {
          /* started meanwhile */
        }
      }
      return n;
    },
  }))
    catalogue.register(r);
  const scheduler = new BackupScheduler(ctx, jobs, backups);
  const windows = new MaintenanceWindows(ctx, integrations);
  const procedures = new ProcedureEngine(ctx, jobs, backups, services, integrations, windows);
  const ops: Operations = { catalogue, repo, runner, queue, jobs, bus, services, backups, scheduler, integrations, windows, procedures, workerService, jobEvents };
  built.set(ctx, ops);
  return ops;
}

/**
 * Server start-up: jobs left running by a previous process become `interrupted`, the queue starts,
 * services start in dependency order, schedules and the wizard engine resume. Shutdown reverses it.
 */
export async function startOperations(ctx: AppContext, live: LiveServer): Promise<Operations> {
  const ops = operations(ctx);
  live.onConnect(jobLogSubscriptions(ops.repo, ops.bus));
  await recoverInterrupted(ctx, ops);
  await ops.queue.start();
  ops.services.startAll().catch((err: unknown) => {
    ctx.events.publish({ type: 'service.start_failed', seq: null, actor: null, data: { message: (err as Error).message }, at: ctx.clock.now() }, { kind: 'oncall' });
  });
  const stopRelay = ops.workerService || ops.queue.kind === 'bullmq' ? relayForeignJobEvents(ctx, ops) : () => {};
  if (ctx.config.OPS_SCHEDULERS) ops.scheduler.start();
  await ops.windows.start(ctx.config.OPS_SCHEDULERS);
  await ops.procedures.start(ctx.config.OPS_SCHEDULERS);
  ctx.onClose(async () => {
    stopRelay();
    ops.scheduler.stop();
    ops.windows.stop();
    ops.procedures.stop();
    await Promise.all([ops.queue.stop(), ops.runner.shutdown()]);
    await ops.services.close();
  });
  return ops;
}

async function recoverInterrupted(ctx: AppContext, ops: Operations): Promise<void> {
  const { db } = ctx.database;
  // With BullMQ several instances share the table: only jobs whose heartbeat stopped are orphans.
  let q = db.selectFrom('jobs').select(['id', 'worker']).where('status', '=', 'running');
  if (ops.queue.kind === 'bullmq') q = q.where('heartbeat_at', '<', ctx.clock.now() - 30_000);
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
function relayForeignJobEvents(ctx: AppContext, ops: Operations): () => void {
  let last = -1;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void (async () => {
      if (last < 0) last = await ctx.changes.head();
      const rows = await ctx.database.db.selectFrom('changes').select(['seq', 'entity_id', 'data', 'at']).where('entity', '=', 'job').where('seq', '>', last).orderBy('seq').limit(500).execute();
      for (const r of rows) {
        const seq = Number(r.seq);
        last = seq;
        if (ops.jobEvents.ownSeqs.delete(seq)) continue;
        ctx.events.publish({ type: 'job.updated', seq, actor: null, data: r.data ? (JSON.parse(r.data) as unknown) : null, at: Number(r.at) }, { kind: 'oncall' });
        ops.bus.notify(r.entity_id);
      }
      for (const s of ops.jobEvents.ownSeqs) if (s <= last) ops.jobEvents.ownSeqs.delete(s);
    })()
      .catch(() => {})
      .finally(() => (busy = false));
  }, RELAY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
