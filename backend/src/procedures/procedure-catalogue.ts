import { z } from 'zod';
import type { BackupService } from '../backups/backup-service';
import type { Services } from '../app/services';
import { AppError } from '../platform/http/errors';
import type { OpsIntegrations } from '../maintenance/integrations';
import type { MaintenanceWindows } from '../maintenance/maintenance-windows';
import type { ServiceManager } from '../services/service-manager';
import { VERSION } from '../version';
import type { ProcedureDefinition, StepContext } from './definitions';
import { checklists } from './checklists';
import { emergencyProcedures } from './emergency-procedures';
import { httpSnapshot } from './http-snapshot';
import type { RoleNotices } from './role-notices';
import { action, check, ok, runbookStep, stepChecks } from './step-kit';

export interface CatalogueDeps {
  ctx: Pick<Services, 'health' | 'clock' | 'database' | 'metrics' | 'maintenance' | 'audit' | 'events' | 'config' | 'metricStore' | 'incidents'>;
  backups: BackupService;
  services: ServiceManager;
  integrations: OpsIntegrations;
  windows: MaintenanceWindows;
  /** Notices to the people of a role (desktop and email). */
  notices: RoleNotices;
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
  const { checkHealth, errorLogCheck } = stepChecks(d);

  const maintenance: ProcedureDefinition = {
    id: 'maintenance',
    title: 'Maintenance wizard',
    description: 'The operations manual\'s pre-maintenance checklist, the chosen tasks, and the post-maintenance checklist, as resumable steps.',
    category: 'wizard',
    assignedRole: 'admin',
    levels: [],
    schedule: null,
    steps(raw) {
      const p = MaintenanceParams.parse(raw);
      return [
        action('notify-users', 'pre', 'Notify users', 'Send the maintenance notice (live + email).', async (c) => {
          const r = await d.integrations.announce('maintenance.notice', `Maintenance starting: ${p.title}`, `${p.title} is starting now. Changes may be refused for a while.`, { runId: c.runId });
          return ok(`announced live; email: ${r.emails}`);
        }),
        runbookStep('backup', 'pre', 'Back up the database', 'Full verified backup kept as the rollback point.', 'backup-database', () => ({ kind: 'pre-maintenance' }), { onJobResult: (r) => ({ backupId: (r as { backupId?: string }).backupId }) }),
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

  return [maintenance, ...emergencyProcedures(d), ...checklists(d)];
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

