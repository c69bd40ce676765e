import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { z } from 'zod';
import type { DatabaseHandle } from '../platform/db/connect';
import type { BackupService } from '../backups/backup-service';
import type { HealthChecks } from '../health/health-checks';
import { AppError } from '../platform/http/errors';
import type { Clock } from '../platform/clock';
import type { ServiceManager } from '../services/service-manager';
import { RunbookFailure, type AnyRunbook, type RunbookDefinition } from './runbook';

export interface BuiltinDeps {
  handle: DatabaseHandle;
  backups: BackupService;
  services: ServiceManager;
  health: HealthChecks;
  clock: Clock;
  logDir: string;
  /** Removes queued jobs (and their BullMQ entries); returns how many. */
  purgeQueued(runbook: string | undefined, exceptJobId: string): Promise<number>;
}

const MIN = 60_000;
const ServiceName = z.string().min(1).max(100).describe('service name as declared in SERVICES_FILE').meta({ 'x-picker': 'services' });
const BackupRef = z.string().min(1).max(1000).describe('backup id from the catalogue, or the name of a file in the backup folder');

type Defaulted = 'destructive' | 'destructiveWhen' | 'lockKey';

/** A built-in runbook; unless it says otherwise it is not destructive and takes no lock. */
function define<S extends z.ZodType>(def: Omit<RunbookDefinition<z.infer<S>>, 'schema' | 'kind' | Defaulted> & Partial<Pick<RunbookDefinition<z.infer<S>>, Defaulted>> & { schema: S }): AnyRunbook {
  return { kind: 'builtin', destructive: () => false, destructiveWhen: null, lockKey: () => null, ...def } as AnyRunbook;
}

/** The built-in catalogue: the manual's backup, restore, restart, scale, vacuum, purge, cleanup and health commands. */
export function builtinRunbooks(d: BuiltinDeps): AnyRunbook[] {
  return [
    define({
      id: 'backup-database',
      title: 'Back up the database',
      description: 'Full backup (SQLite online backup API + gzip, or pg_dump -Fc), sha256, verified, with a manifest beside it.',
      schema: z.object({ kind: z.enum(['manual', 'pre-maintenance']).default('manual') }).strict(),
      minRole: 'oncall',
      timeoutMs: 120 * MIN,
      lockKey: () => 'database',
      async run(exec) {
        const b = await d.backups.create(exec.params.kind, { jobId: exec.jobId, log: (l) => exec.log(l), actor: exec.requester });
        return { summary: `backup ${b.id} (${b.sizeBytes} bytes, verified)`, result: { backupId: b.id, file: b.file, sha256: b.sha256 } };
      },
    }),
    define({
      id: 'verify-backup',
      title: 'Verify a backup',
      description: 'Checks size and sha256 against the manifest, then opens the copy (integrity_check + row counts) or lists the archive (pg_restore --list).',
      schema: z.object({ backupId: BackupRef }).strict(),
      minRole: 'oncall',
      timeoutMs: 60 * MIN,
      async run(exec) {
        try {
          const v = await d.backups.verify(exec.params.backupId, (l) => exec.log(l));
          if (v.copy) rmSync(v.copy, { force: true });
          return { summary: v.message, result: { backupId: v.manifest.id, ok: true } };
        } catch (e) {
          throw new RunbookFailure((e as Error).message, 1, { ok: false });
        }
      },
    }),
    define({
      id: 'restore-database',
      title: 'Restore the database from a backup',
      description: 'Verifies the backup, enters maintenance mode, takes a safety backup, restores, migrates, verifies; rolls back to the safety backup on any failure.',
      schema: z.object({ backupId: BackupRef }).strict(),
      minRole: 'admin',
      destructive: () => true,
      approvalByDefault: false,
      holdsShutdown: true,
      timeoutMs: 240 * MIN,
      lockKey: () => 'database',
      async run(exec) {
        const r = await d.backups.restore(exec.params.backupId, { log: (l) => exec.log(l), actor: exec.requester, jobId: exec.jobId });
        return { summary: r.message, result: r };
      },
    }),
    define({
      id: 'restart-service',
      title: 'Restart a service',
      description: 'Graceful stop (SIGTERM, then SIGKILL after the stop timeout) and start; waits until healthy.',
      schema: z.object({ service: ServiceName }).strict(),
      minRole: 'oncall',
      timeoutMs: 15 * MIN,
      lockKey: (p) => `service:${p.service}`,
      precheck: (p) => void d.services.spec(p.service),
      async run(exec) {
        const before = await d.services.status(exec.params.service);
        const st = await d.services.restart(exec.params.service, (l) => exec.log(l));
        // A container id or pod name where the driver has one, else the process id.
        const ids = (s: typeof st) => s.replicas.map((r) => r.id ?? r.pid);
        return { summary: `${st.name} restarted: ${st.health}, replicas ${ids(st).join(', ') || 'none'}`, result: { before: ids(before), after: ids(st), health: st.health } };
      },
    }),
    define({
      id: 'scale-service',
      title: 'Scale a service',
      description: 'Starts or stops replicas to reach the requested count (0 stops the service, which is destructive).',
      schema: z.object({ service: ServiceName, replicas: z.number().int().min(0).max(1000) }).strict(),
      minRole: 'oncall',
      destructive: (p) => p.replicas === 0,
      destructiveWhen: 'replicas = 0',
      timeoutMs: 15 * MIN,
      lockKey: (p) => `service:${p.service}`,
      precheck: (p) => d.services.checkScale(p.service, p.replicas),
      async run(exec) {
        const st = await d.services.scale(exec.params.service, exec.params.replicas, (l) => exec.log(l));
        return { summary: `${st.name} at ${st.replicas.length} replica(s): ${st.health}`, result: { replicas: st.replicas.length, pids: st.replicas.map((r) => r.pid), ids: st.replicas.map((r) => r.id ?? null), health: st.health } };
      },
    }),
    define({
      id: 'vacuum-analyze',
      title: 'VACUUM and ANALYZE the database',
      description: 'SQLite: VACUUM, ANALYZE, PRAGMA optimize. PostgreSQL: VACUUM ANALYZE (the manual\'s weekly task).',
      schema: z.object({}).strict(),
      minRole: 'oncall',
      timeoutMs: 120 * MIN,
      lockKey: () => 'database',
      async run(exec) {
        const started = Date.now();
        if (d.handle.dialect === 'sqlite') {
          const raw = d.handle.sqlite!;
          await d.handle.db.connection().execute(async () => {
            for (const stmt of ['VACUUM', 'ANALYZE', 'PRAGMA optimize']) {
              if (exec.signal.aborted) throw new Error('cancelled');
              exec.log(stmt);
              raw.exec(stmt);
            }
          });
        } else {
          exec.log('VACUUM ANALYZE');
          await sql`VACUUM ANALYZE`.execute(d.handle.db);
        }
        return { summary: `done in ${Date.now() - started} ms` };
      },
    }),
    define({
      id: 'purge-queue',
      title: 'Purge queued jobs',
      description: 'Cancels every job still waiting in the queue (optionally only one runbook\'s), like the manual\'s "celery purge".',
      schema: z.object({ runbook: z.string().max(100).optional().describe('only jobs of this runbook') }).strict(),
      minRole: 'admin',
      destructive: () => true,
      timeoutMs: 5 * MIN,
      lockKey: () => 'queue',
      async run(exec) {
        const n = await d.purgeQueued(exec.params.runbook, exec.jobId);
        exec.log(`cancelled ${n} queued job(s)`);
        return { summary: `purged ${n} queued job(s)`, result: { purged: n } };
      },
    }),
    define({
      id: 'cleanup-logs',
      title: 'Clean up old logs',
      description: 'Deletes job logs of finished jobs and log files under DATA_DIR/logs older than N days (the manual: clear old logs > 30 days).',
      schema: z.object({ olderThanDays: z.number().int().min(1).max(3650).default(30) }).strict(),
      minRole: 'oncall',
      timeoutMs: 30 * MIN,
      lockKey: () => 'cleanup-logs',
      async run(exec) {
        const cutoff = d.clock.now() - exec.params.olderThanDays * 86_400_000;
        const old = d.handle.db.selectFrom('jobs').select('id').where('finished_at', '<', cutoff);
        const r = await d.handle.db.deleteFrom('job_logs').where('job_id', 'in', old).executeTakeFirst();
        const lines = Number(r.numDeletedRows);
        exec.log(`deleted ${lines} job log line(s) of jobs finished before ${new Date(cutoff).toISOString()}`);
        let files = 0;
        try {
          for (const f of readdirSync(d.logDir)) {
            const p = path.join(d.logDir, f);
            const st = statSync(p);
            if (st.isFile() && st.mtimeMs < cutoff) {
              rmSync(p);
              files++;
              exec.log(`removed ${p}`);
            }
          }
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
          exec.log(`${d.logDir} does not exist; no log files to remove`);
        }
        return { summary: `deleted ${lines} job log line(s) and ${files} file(s) older than ${exec.params.olderThanDays} days`, result: { lines, files } };
      },
    }),
    define({
      id: 'run-health-checks',
      title: 'Run health checks',
      description: 'Database, Redis, storage and every service\'s health probe; fails if anything is down.',
      schema: z.object({}).strict(),
      minRole: 'oncall',
      timeoutMs: 5 * MIN,
      async run(exec) {
        const report = await d.health.run();
        for (const c of report.checks) exec.log(`${c.name.padEnd(12)} ${c.status.padEnd(9)} ${c.latencyMs} ms ${c.message ?? ''}`);
        const services = await d.services.statusAll();
        for (const s of services) exec.log(`service ${s.name.padEnd(12)} ${s.health.padEnd(9)} ${s.healthMessage ?? ''}`);
        const bad = [...report.checks.filter((c) => c.status === 'down').map((c) => c.name), ...services.filter((s) => s.health === 'unhealthy').map((s) => `service ${s.name}`)];
        const result = { status: report.status, checks: report.checks, services: services.map((s) => ({ name: s.name, health: s.health })) };
        if (bad.length) throw new RunbookFailure(`down: ${bad.join(', ')}`, 1, result);
        return { summary: `overall ${report.status}; ${services.length} service(s) checked`, result };
      },
    }),
  ];
}

export function assertKnownService(services: ServiceManager, name: string): void {
  if (!services.has(name)) throw new AppError('not_found', `Service ${name} not found`);
}
