import os from 'node:os';
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { SYSTEM_ACTOR } from '../audit/audit-log';
import { BackupScheduler } from '../backups/backup-scheduler';
import { BackupKeys } from '../backups/backup-keys';
import { BackupService, type BackupNotifier } from '../backups/backup-service';
import { redisBackupRunbook } from '../backups/redis-backup';
import { OffsiteStore } from '../backups/offsite';
import { offsiteSyncRunbook } from '../backups/offsite-runbook';
import { parseRetention } from '../backups/retention';
import { testRestoreRunbook } from '../backups/test-restore';
import { ApprovalRule } from '../jobs/approval-policy';
import { JobEvents } from '../jobs/job-events';
import { BullJobQueue, LocalJobQueue, type JobQueue } from '../jobs/job-queue';
import { JobRepository } from '../jobs/job-repository';
import { JobRunner } from '../jobs/job-runner';
import { JobService } from '../jobs/job-service';
import { LogBus } from '../jobs/log-bus';
import { defaultServices, PORTABLE_BUILTINS } from '../jobs/operations';
import { OpsIntegrations } from '../maintenance/integrations';
import { MaintenanceWindows } from '../maintenance/maintenance-windows';
import { logConnectionErrors } from '../platform/redis';
import { ProcedureEngine } from '../procedures/procedure-engine';
import { builtinRunbooks } from '../runbooks/builtin-runbooks';
import { RunbookCatalogue } from '../runbooks/catalogue';
import { loadServiceSpecs, ServiceManager } from '../services/service-manager';
import { DbDesiredStore } from '../services/desired-store';
import { serviceDrivers } from '../services/drivers';
import type { Services } from './services';

type OperationsDeps = Pick<
  Services,
  'config' | 'clock' | 'logger' | 'database' | 'metrics' | 'lifecycle' | 'health' | 'audit' | 'users' | 'maintenance' | 'changes' | 'events' | 'silences' | 'alerts' | 'notifier' | 'metricStore' | 'incidents'
>;

export type OperationsServices = Pick<
  Services,
  'runbooks' | 'jobRepo' | 'jobRunner' | 'jobQueue' | 'jobs' | 'jobLogs' | 'jobEvents' | 'serviceManager' | 'backups' | 'backupScheduler' | 'opsIntegrations' | 'maintenanceWindows' | 'procedures'
> & {
  /** Whether worker processes (the job-workers service) run the portable runbooks. */
  workerService: boolean;
};

/** Runbooks, jobs and their queue, supervised services, backups, maintenance windows, procedures. */
export function wireOperations(d: OperationsDeps): OperationsServices {
  const { config, clock, database, lifecycle, events, changes } = d;
  const { db } = database;
  const approvalRequired = new Set(config.APPROVAL_REQUIRED_RUNBOOKS.split(',').map((s) => s.trim()).filter(Boolean));
  const runbooks = new RunbookCatalogue(db, d.audit, clock, approvalRequired);
  const jobRepo = new JobRepository(db);
  const jobLogs = new LogBus();
  const jobEvents = new JobEvents(db, changes, events, d.audit, clock);
  const jobRunner = new JobRunner(db, jobRepo, runbooks, jobEvents, jobLogs, clock, { worker: `${os.hostname()}:${process.pid}`, cancelGraceMs: config.JOB_CANCEL_GRACE_MS, onError: (what, err) => lifecycle.report(what, err) });
  const specs = loadServiceSpecs(config.SERVICES_FILE, defaultServices(config));
  const workerService = specs.some((s) => s.name === 'job-workers' && s.driver === 'process' && !config.SERVICES_FILE);
  const serviceManager = new ServiceManager(specs, serviceDrivers(config, specs, new DbDesiredStore(db, clock)));
  const accepts = (runbook: string) => !workerService || !(PORTABLE_BUILTINS.has(runbook) || !runbooks.isBuiltin(runbook));
  const jobQueue: JobQueue = config.REDIS_URL
    ? new BullJobQueue(config.REDIS_URL, jobRepo, jobRunner, config.JOB_CONCURRENCY, () => true, logConnectionErrors(d.logger, 'job queue (BullMQ)'))
    : new LocalJobQueue(jobRepo, jobRunner, config.JOB_CONCURRENCY, accepts, (what, err) => lifecycle.report(what, err));
  const jobs = new JobService(db, jobRepo, runbooks, jobEvents, jobRunner, () => jobQueue, clock, { approvalRequired, approvals: new ApprovalRule(db) });
  const opsIntegrations = new OpsIntegrations({ clock, events, silences: d.silences, alerts: d.alerts, users: d.users, smtp: d.notifier.smtp(), onError: (what, err) => lifecycle.report(what, err) });
  const notifier: BackupNotifier = {
    backupFinished: (b) =>
      void db
        .transaction()
        .execute((trx) => changes.record(trx, { entity: 'backup', id: b.id, op: 'upsert', audience: { kind: 'oncall' }, data: b }))
        .then((seq) => events.publish({ type: 'backup.completed', seq, actor: null, data: b, at: clock.now() }, { kind: 'oncall' }))
        .catch(lifecycle.reporter('backups.completed-event')),
    backupFailed: (kind, error) => {
      events.publish({ type: 'backup.failed', seq: null, actor: null, data: { kind, error }, at: clock.now() }, { kind: 'oncall' });
      void opsIntegrations.raiseAlert({ name: 'BackupFailed', severity: 'high', summary: `${kind} backup failed: ${error}`, labels: { component: 'backup' } });
    },
    reportError: (what, err) => lifecycle.report(what, err),
    restoreFinished: (o) => events.publish({ type: o.ok ? 'backup.restored' : 'backup.restore_failed', seq: null, actor: null, data: o, at: clock.now() }, { kind: 'all' }),
  };
  const backupKeys = new BackupKeys(config.BACKUP_KEY ?? config.JWT_SECRET);
  const backupDir = config.BACKUP_DIR ?? path.join(config.DATA_DIR, 'backups');
  mkdirSync(backupDir, { recursive: true });
  const backups = new BackupService(database, config.DATABASE_URL, backupDir, clock, d.audit, d.maintenance, parseRetention(config.BACKUP_RETENTION), config.BACKUP_MIN_FREE_MB * 1048576, backupKeys, notifier, offsiteStore(config, backupKeys, clock));
  for (const r of builtinRunbooks({
    handle: database,
    backups,
    services: serviceManager,
    health: d.health,
    clock,
    logDir: path.join(config.DATA_DIR, 'logs'),
    purgeQueued: async (runbook, exceptJobId) => {
      let q = db.selectFrom('jobs').select('id').where('status', '=', 'queued').where('id', '!=', exceptJobId);
      if (runbook) q = q.where('runbook', '=', runbook);
      const ids = (await q.execute()).map((r) => r.id);
      let n = 0;
      for (const id of ids) {
        try {
          await jobs.cancel({ ...SYSTEM_ACTOR, email: 'purge-queue' }, id);
          n++;
        } catch (err) {
          d.logger.info({ err, jobId: id }, 'purge-queue: job not cancelled (it started meanwhile)');
        }
      }
      return n;
    },
  }))
    runbooks.register(r);
  runbooks.register(offsiteSyncRunbook(backups));
  runbooks.register(testRestoreRunbook({ backups, handle: database, url: config.DATABASE_URL }));
  runbooks.register(redisBackupRunbook({ url: config.REDIS_BACKUP_URL ?? config.REDIS_URL, dir: backupDir, key: backupKeys.encryption, clock }));
  const backupScheduler = new BackupScheduler(d, jobs, backups);
  const maintenanceWindows = new MaintenanceWindows(d, opsIntegrations);
  const procedures = new ProcedureEngine(d, jobs, backups, serviceManager, opsIntegrations, maintenanceWindows);
  return { runbooks, jobRepo, jobRunner, jobQueue, jobs, jobLogs, jobEvents, serviceManager, backups, backupScheduler, opsIntegrations, maintenanceWindows, procedures, workerService };
}

/** The off-site SFTP store when all three OFFSITE_SFTP_* settings are given; none when any is missing. */
function offsiteStore(config: OperationsDeps['config'], keys: BackupKeys, clock: OperationsDeps['clock']): OffsiteStore | null {
  const { OFFSITE_SFTP_URL: url, OFFSITE_SFTP_KEY_FILE: privateKeyFile, OFFSITE_SFTP_HOST_KEY: hostKeySha256 } = config;
  if (!url || !privateKeyFile || !hostKeySha256) return null;
  return new OffsiteStore({ url, privateKeyFile, hostKeySha256 }, keys, parseRetention(config.BACKUP_RETENTION), clock);
}
