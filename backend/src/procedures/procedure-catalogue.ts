import { z } from 'zod';
import type { BackupService } from '../backups/backup-service';
import type { Services } from '../app/services';
import { AppError } from '../platform/http/errors';
import type { JobService } from '../jobs/job-service';
import type { OpsIntegrations } from '../maintenance/integrations';
import type { MaintenanceWindows } from '../maintenance/maintenance-windows';
import type { ServiceManager } from '../services/service-manager';
import { VERSION } from '../version';
import type { ProcedureDefinition, StepContext, StepDefinition, StepResult } from './definitions';
import { httpSnapshot } from './http-snapshot';

export interface CatalogueDeps {
  ctx: Pick<Services, 'health' | 'clock' | 'database' | 'metrics' | 'maintenance' | 'audit' | 'events'>;
  jobs: JobService;
  backups: BackupService;
  services: ServiceManager;
  integrations: OpsIntegrations;
  windows: MaintenanceWindows;
}

/** Runbooks a maintenance wizard may run as tasks: routine, non-destructive built-ins only. */
export const MAINTENANCE_TASKS = ['backup-database', 'verify-backup', 'vacuum-analyze', 'cleanup-logs', 'run-health-checks', 'restart-service', 'scale-service'] as const;
const MaintenanceTask = z.string().min(1).refine((r) => (MAINTENANCE_TASKS as readonly string[]).includes(r), {
  message: `not allowed as a maintenance task (allowed: ${MAINTENANCE_TASKS.join(', ')}); run it from the runbooks screen`,
});

export const MaintenanceParams = z.object({
  title: z.string().max(200).default('Scheduled maintenance'),
  /** The manual's zero-downtime tasks etc.: runbooks chosen for the "tasks" phase. */
  tasks: z.array(z.object({ runbook: MaintenanceTask, params: z.record(z.string(), z.unknown()).default({}) })).max(20).default([]),
  services: z.array(z.string()).max(50).default([]),
  watchMinutes: z.number().int().min(0).max(24 * 60).default(60),
  /** Error-rate rise (percentage points) and p95 latency factor that raise an alert after maintenance. */
  errorRateRisePct: z.number().min(0).max(100).default(1),
  latencyFactor: z.number().min(1).max(100).default(1.5),
});

const H = 3_600_000;

/** The procedures the manuals describe, as data the engine runs. */
export function procedureCatalogue(d: CatalogueDeps): ProcedureDefinition[] {
  const { ctx } = d;
  const ok = (detail: string, extra: Partial<StepResult> = {}): StepResult => ({ ok: true, detail, ...extra });
  const fail = (detail: string, extra: Partial<StepResult> = {}): StepResult => ({ ok: false, detail, ...extra });

  const checkHealth = async (): Promise<StepResult> => {
    const report = await ctx.health.run();
    const services = await d.services.statusAll();
    const bad = [...report.checks.filter((c) => c.status !== 'ok').map((c) => `${c.name} ${c.status}`), ...services.filter((s) => s.health !== 'healthy' && s.health !== 'stopped').map((s) => `service ${s.name} ${s.health}`)];
    const data = { checks: report.checks.map((c) => ({ name: c.name, status: c.status })), services: services.map((s) => ({ name: s.name, health: s.health })) };
    return bad.length ? fail(`not healthy: ${bad.join(', ')}`, { data }) : ok(`health ${report.status}; ${services.length} service(s) healthy`, { data });
  };
  const backupWithin = (ms: number) => async (): Promise<StepResult> => {
    const last = await d.backups.lastSuccessAt();
    const age = last === null ? null : ctx.clock.now() - last;
    return age !== null && age <= ms ? ok(`last verified backup ${Math.round(age / 60_000)} min ago`) : fail(last === null ? 'no successful backup yet' : `last successful backup is ${Math.round(age! / H)} h old`);
  };
  const noCriticalAlerts = async (): Promise<StepResult> => {
    const n = await d.integrations.openAlerts('critical');
    return n === 0 ? ok('no open critical alerts') : fail(`${n} open critical alert(s)`);
  };
  const failedJobsSince = async (since: number) => {
    const r = await ctx.database.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'failed').where('finished_at', '>=', since).executeTakeFirst();
    return Number(r?.n ?? 0);
  };
  const errorLogCheck = (hours: number | null) => async (c: StepContext): Promise<StepResult> => {
    const since = hours === null ? c.startedAt : ctx.clock.now() - hours * H;
    const failedJobs = await failedJobsSince(since);
    const errLines = await ctx.database.db
      .selectFrom('job_logs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('stream', '=', 'err')
      .where('at', '>=', since)
      .executeTakeFirst();
    const http = await httpSnapshot(ctx);
    const perHour = (failedJobs * H) / Math.max(ctx.clock.now() - since, H);
    const data = { failedJobs, errorLogLines: Number(errLines?.n ?? 0), http5xxTotal: http.errors, since };
    // The manual's target: fewer than 5 errors per hour.
    return perHour < 5 ? ok(`${failedJobs} failed job(s), ${data.errorLogLines} error line(s) since ${new Date(since).toISOString()}`, { data }) : fail(`${failedJobs} failed job(s) since ${new Date(since).toISOString()} (target < 5/hour)`, { data });
  };
  const runbookStep = (key: string, phase: string, title: string, instructions: string, runbook: string, params: (c: StepContext) => Record<string, unknown>, onJobResult?: (r: unknown) => Record<string, unknown>): StepDefinition => ({
    key,
    phase,
    title,
    kind: 'runbook',
    instructions,
    runbook: (c) => ({ runbook, params: params(c) }),
    onJobResult,
  });
  const manual = (key: string, phase: string, title: string, instructions: string): StepDefinition => ({ key, phase, title, kind: 'manual', instructions });
  const check = (key: string, phase: string, title: string, instructions: string, execute: (c: StepContext) => Promise<StepResult>, onCheckFail: 'wait' | 'fail' = 'wait'): StepDefinition => ({ key, phase, title, kind: 'check', instructions, execute, onCheckFail });
  const action = (key: string, phase: string, title: string, instructions: string, execute: (c: StepContext) => Promise<StepResult>): StepDefinition => ({ key, phase, title, kind: 'action', instructions, execute });

  const maintenance: ProcedureDefinition = {
    id: 'maintenance',
    title: 'Maintenance wizard',
    description: 'The operations manual\'s pre-maintenance checklist, the chosen tasks, and the post-maintenance checklist, as resumable steps.',
    assignedRole: 'admin',
    schedule: null,
    steps(raw) {
      const p = MaintenanceParams.parse(raw);
      return [
        action('notify-users', 'pre', 'Notify users', 'Send the maintenance notice (live + email).', async (c) => {
          const r = await d.integrations.announce('maintenance.notice', `Maintenance starting: ${p.title}`, `${p.title} is starting now. Changes may be refused for a while.`, { runId: c.runId });
          return ok(`announced live; email: ${r.emails}`);
        }),
        runbookStep('backup', 'pre', 'Back up the database', 'Full verified backup kept as the rollback point.', 'backup-database', () => ({ kind: 'pre-maintenance' }), (r) => ({ backupId: (r as { backupId?: string }).backupId })),
        action('silence-alerts', 'pre', 'Silence alerts', 'Silence alerts of the services in scope for the maintenance (Alertmanager: disable notifications).', async (c) => {
          const w = await maintenanceWindowOf(d, c);
          const end = w?.currentEnd ?? ctx.clock.now() + 4 * H;
          const s = await d.windows.silence({ id: c.runId, title: p.title, services: p.services, silenceAlerts: true, currentStart: ctx.clock.now(), currentEnd: end } as never);
          if (s.problem) return { ok: true, detail: s.problem, state: { silenceIds: [] } };
          return ok(`silenced until ${new Date(end).toISOString()} (${s.ids.join(', ')})`, { state: { silenceIds: s.ids } });
        }),
        action('record-version', 'pre', 'Record the running version', 'Prepare the rollback plan: note the running version and schema.', async () => {
          const r = await ctx.database.db.selectFrom('schema_migrations' as never).select((eb) => eb.fn.max('name' as never).as('v')).executeTakeFirst();
          const schema = (r as { v?: string } | undefined)?.v ?? null;
          return ok(`version ${VERSION}, schema ${schema}`, { state: { version: VERSION, schemaVersion: schema } });
        }),
        ...p.tasks.map((t, i) => runbookStep(`task-${i + 1}`, 'tasks', `Task ${i + 1}: ${t.runbook}`, `Run ${t.runbook} with ${JSON.stringify(t.params)}.`, t.runbook, () => t.params)),
        check('verify-services', 'post', 'Verify all services', 'Every service healthy, health checks green.', checkHealth, 'fail'),
        check('check-error-logs', 'post', 'Check logs for errors', 'Failed jobs and error log lines since the window started.', errorLogCheck(null), 'wait'),
        action('reenable-alerts', 'post', 'Re-enable alerts', 'Expire the maintenance silences.', async (c) => {
          const ids = (c.state.silenceIds as string[] | undefined) ?? [];
          await d.windows.unsilence({ silenceIds: ids });
          return ok(ids.length ? `expired ${ids.length} silence(s)` : 'no silences to expire');
        }),
        action('completion-notice', 'post', 'Send completion notice', '"Maintenance completed successfully".', async () => {
          const r = await d.integrations.announce('maintenance.completed', `Maintenance completed: ${p.title}`, 'Maintenance completed successfully.', {});
          return ok(`announced live; email: ${r.emails}`);
        }),
        {
          key: 'watch',
          phase: 'post',
          title: `Monitor for ${p.watchMinutes} minutes`,
          kind: 'watch',
          instructions: 'Watch error rate and latency; an alert is raised if they rise above the pre-maintenance baseline.',
          watchMs: () => p.watchMinutes * 60_000,
          baseline: async () => ({ ...(await httpSnapshot(ctx)) }),
          evaluate: async (_c, base) => {
            const now = await httpSnapshot(ctx);
            const dReq = now.requests - (base.requests as number);
            const dErr = now.errors - (base.errors as number);
            const dSum = now.durationSum - (base.durationSum as number);
            const rate = dReq > 0 ? (dErr / dReq) * 100 : 0;
            const baseRate = (base.requests as number) > 0 ? ((base.errors as number) / (base.requests as number)) * 100 : 0;
            const mean = dReq > 0 ? dSum / dReq : 0;
            const baseMean = (base.requests as number) > 0 ? (base.durationSum as number) / (base.requests as number) : 0;
            const rose = rate > baseRate + p.errorRateRisePct || (baseMean > 0 && mean > baseMean * p.latencyFactor);
            const detail = `error rate ${rate.toFixed(2)}% (before ${baseRate.toFixed(2)}%), mean latency ${(mean * 1000).toFixed(1)} ms (before ${(baseMean * 1000).toFixed(1)} ms) over ${dReq} request(s)`;
            if (rose) {
              const how = await d.integrations.raiseAlert({ name: 'PostMaintenanceRegression', severity: 'high', summary: `After ${p.title}: ${detail}`, labels: { component: 'maintenance' } });
              return { ok: false, detail: `${detail}; alert ${how}`, data: { rate, baseRate, mean, baseMean } };
            }
            return ok(detail, { data: { rate, baseRate, mean, baseMean } });
          },
        },
      ];
    },
  };

  const outage: ProcedureDefinition = {
    id: 'system-outage',
    title: 'Emergency: system outage',
    description: 'Operational documentation, Emergency Procedures → System Outage: immediate response, then recovery.',
    assignedRole: 'oncall',
    schedule: null,
    steps: () => [
      check('assess', 'immediate', 'Assess impact', 'Determine the scope of the outage: which checks and services are down.', checkHealth, 'wait'),
      action('notify', 'immediate', 'Notify stakeholders', 'Alert relevant teams.', async () => {
        const r = await d.integrations.announce('emergency.outage', 'System outage', 'An outage is being handled; updates follow.', {});
        return ok(`announced live; email: ${r.emails}`);
      }),
      manual('isolate', 'immediate', 'Isolate issues', 'Identify the root cause: logs, metrics, recent changes.'),
      manual('fix', 'immediate', 'Implement fix', 'Apply a temporary solution (restart, scale, rollback) from the runbooks.'),
      check('monitor', 'immediate', 'Monitor recovery', 'Verify system stability: health green and services healthy.', checkHealth, 'wait'),
      manual('stop-services', 'recovery', 'Stop services (if restoring)', 'Graceful shutdown before a restore; skip when the fix held.'),
      manual('restore', 'recovery', 'Restore from backup (if needed)', 'Latest known good state: run restore-database from the runbooks; skip when not needed.'),
      runbookStep('verify-integrity', 'recovery', 'Verify data integrity', 'Run the health checks (database consistency included).', 'run-health-checks', () => ({})),
      action('restart-services', 'recovery', 'Restart services in order', 'Start services in dependency order, waiting on each health check.', async () => {
        await d.services.startAll();
        return ok(`started in order: ${d.services.startOrder().map((s) => s.name).join(' → ') || 'no services declared'}`);
      }),
      check('test', 'recovery', 'Test functionality', 'Verify all systems operational.', checkHealth, 'wait'),
    ],
  };

  const dataLoss: ProcedureDefinition = {
    id: 'data-loss',
    title: 'Emergency: data loss',
    description: 'Operational documentation, Emergency Procedures → Data Loss.',
    assignedRole: 'admin',
    schedule: null,
    steps: (raw) => {
      const backupId = typeof raw.backupId === 'string' ? raw.backupId : null;
      return [
        action('stop-operations', 'immediate', 'Stop all operations', 'Prevent further data loss: the API refuses writes (maintenance mode).', async () => {
          await ctx.maintenance.enter('data-loss procedure in progress');
          return ok('maintenance mode on: writes refused with 503');
        }),
        manual('assess', 'immediate', 'Assess damage', 'Determine the scope of loss: which records, since when.'),
        action('notify', 'immediate', 'Notify management', 'Alert decision makers.', async () => {
          const r = await d.integrations.announce('emergency.data_loss', 'Data loss incident', 'A data-loss incident is being handled; writes are paused.', {});
          return ok(`announced live; email: ${r.emails}`);
        }),
        runbookStep('preserve-evidence', 'immediate', 'Preserve evidence', 'Back up the current state before anything changes.', 'backup-database', () => ({ kind: 'manual' }), (r) => ({ evidenceBackupId: (r as { backupId?: string }).backupId })),
        check('last-good-backup', 'recovery', 'Identify last good backup', 'Find the most recent clean backup (verified, before the loss).', async () => {
          const list = (await d.backups.list(50, 'ok')).filter((b) => b.kind !== 'safety');
          const chosen = backupId ?? list[1]?.id ?? null;
          return chosen ? { ok: false, detail: `candidates: ${list.slice(0, 5).map((b) => `${b.id} (${new Date(b.createdAt).toISOString()})`).join(', ')}; confirm the one to restore`, state: { candidate: chosen } } : fail('no successful backup found');
        }, 'wait'),
        manual('restore', 'recovery', 'Restore database', 'Request restore-database with the chosen backup (a second admin approves it).'),
        runbookStep('verify-integrity', 'recovery', 'Verify data integrity', 'Health checks, database consistency.', 'run-health-checks', () => ({})),
        check('test-application', 'recovery', 'Test application', 'Verify functionality.', checkHealth, 'wait'),
        action('gradual-rollout', 'recovery', 'Gradual rollout', 'Restore service: leave maintenance mode so writes are accepted again.', async () => {
          await ctx.maintenance.leave();
          return ok('maintenance mode off: writes accepted');
        }),
      ];
    },
  };

  const daily: ProcedureDefinition = {
    id: 'daily-checklist',
    title: 'Daily tasks',
    description: 'Regular maintenance, daily: both manuals.',
    assignedRole: 'oncall',
    schedule: '0 8 * * *',
    steps: () => [
      check('system-health', 'daily', 'Check system health', 'Health checks and services green.', checkHealth),
      check('alerts', 'daily', 'Review alerts and notifications', 'No open critical alerts; review the rest.', noCriticalAlerts),
      manual('resources', 'daily', 'Monitor resource usage', 'CPU < 70 %, memory < 80 %, disk < 85 % (warning thresholds).'),
      check('backup', 'daily', 'Verify backup completion', 'A verified backup in the last 24 hours.', backupWithin(24 * H)),
      check('error-logs', 'daily', 'Check log files for errors', 'Fewer than 5 errors per hour over the last day.', errorLogCheck(24)),
      manual('performance', 'daily', 'Review performance metrics', 'p95 response time under 1 s.'),
    ],
  };
  const weekly: ProcedureDefinition = {
    id: 'weekly-checklist',
    title: 'Weekly tasks',
    description: 'Regular maintenance, weekly.',
    assignedRole: 'oncall',
    schedule: '0 8 * * 1',
    steps: () => [
      manual('performance', 'weekly', 'Review performance metrics', 'Weekly trends: response time, error rate, throughput.'),
      runbookStep('vacuum', 'weekly', 'Database VACUUM ANALYZE', 'Run vacuum-analyze.', 'vacuum-analyze', () => ({})),
      runbookStep('clean-logs', 'weekly', 'Clear old logs (> 30 days)', 'Run cleanup-logs with 30 days.', 'cleanup-logs', () => ({ olderThanDays: 30 })),
      manual('dependencies', 'weekly', 'Update dependencies (security patches)', 'Apply security updates.'),
      check('restore-test', 'weekly', 'Test backup restoration', 'A backup verified in the last 7 days (run verify-backup).', backupWithin(7 * 24 * H)),
      manual('security-scan', 'weekly', 'Security scan', 'Run the vulnerability scan.'),
    ],
  };
  const monthly: ProcedureDefinition = {
    id: 'monthly-checklist',
    title: 'Monthly tasks',
    description: 'Regular maintenance, monthly.',
    assignedRole: 'admin',
    schedule: '0 8 1 * *',
    steps: () => [
      runbookStep('full-backup', 'monthly', 'Full system backup', 'A full verified backup.', 'backup-database', () => ({ kind: 'manual' })),
      manual('performance', 'monthly', 'Performance analysis & tuning', 'Slow queries, indexes, cache hit rate.'),
      manual('security', 'monthly', 'Security updates / full security scanning', ''),
      manual('capacity', 'monthly', 'Capacity planning review', 'Disk, CPU, memory trends against the resource allocation table.'),
      runbookStep('dr-drill', 'monthly', 'Test restoration', 'The latest backup restored into a scratch database and verified against its manifest (test-restore).', 'test-restore', () => ({})),
    ],
  };
  const quarterly: ProcedureDefinition = {
    id: 'quarterly-checklist',
    title: 'Quarterly tasks',
    description: 'Regular maintenance, quarterly.',
    assignedRole: 'admin',
    schedule: '0 8 1 1,4,7,10 *',
    steps: () => [
      manual('upgrades', 'quarterly', 'Major version upgrades', ''),
      manual('infrastructure', 'quarterly', 'Infrastructure assessment', ''),
      manual('security-audit', 'quarterly', 'Security audit (penetration testing)', ''),
      manual('cost', 'quarterly', 'Cost optimization review', ''),
      manual('docs', 'quarterly', 'Review the operations documentation', 'The manual is reviewed quarterly.'),
    ],
  };
  return [maintenance, outage, dataLoss, daily, weekly, monthly, quarterly];
}

async function maintenanceWindowOf(d: CatalogueDeps, c: StepContext) {
  const id = c.state.maintenanceId;
  // A window deleted since the run started reads as none; other failures fail the step.
  return typeof id === 'string'
    ? d.windows.get(id).catch((err: unknown) => {
        if (err instanceof AppError) return null;
        throw err;
      })
    : null;
}

