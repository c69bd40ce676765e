import { Cron } from 'croner';
import { SYSTEM_ACTOR } from '../audit/audit-log';
import type { Services } from '../app/services';
import type { JobService } from '../jobs/job-service';
import type { BackupService } from './backup-service';

export function parseSchedules(text: string): { name: string; cron: string }[] {
  return text
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [name, cron] = s.split('=');
      if (!name || !cron) throw new Error(`BACKUP_SCHEDULES entry "${s}" must be name=cron`);
      return { name: name.trim(), cron: cron.trim() };
    });
}

/**
 * Scheduled backups (hourly and daily by default) run as ordinary backup-database jobs so they show
 * up with logs, locks and events; after each, retention prunes what no class keeps.
 */
export class BackupScheduler {
  readonly schedules: { name: string; cron: string }[];

  constructor(
    private readonly ctx: Pick<Services, 'config' | 'events' | 'clock'>,
    private readonly jobs: JobService,
    private readonly backups: BackupService,
  ) {
    this.schedules = parseSchedules(ctx.config.BACKUP_SCHEDULES);
    for (const s of this.schedules) new Cron(s.cron, { paused: true, timezone: 'UTC' }).stop();
  }

  /** Each schedule as a cron loop of the lifecycle (a slow backup never overlaps the next). */
  register(lifecycle: Services['lifecycle']): void {
    for (const s of this.schedules) lifecycle.cron(`backup-schedule:${s.name}`, s.cron, () => this.runScheduled(s.name), { once: true });
  }

  nextRuns(): { name: string; cron: string; nextRun: number | null }[] {
    return this.schedules.map((s) => ({ ...s, nextRun: new Cron(s.cron, { paused: true, timezone: 'UTC' }).nextRun()?.getTime() ?? null }));
  }

  /** The schedules as the backups screen shows them: no next run while this process runs none (OPS_SCHEDULERS off). */
  plannedRuns(): { name: string; cron: string; nextRun: number | null }[] {
    const runs = this.nextRuns();
    return this.ctx.config.OPS_SCHEDULERS ? runs : runs.map((s) => ({ ...s, nextRun: null }));
  }

  async runScheduled(name: string): Promise<void> {
    try {
      const job = await this.jobs.request({ ...SYSTEM_ACTOR, email: `schedule:${name}` }, { runbook: 'backup-database', params: { kind: 'manual' } }, { via: 'schedule' });
      const done = await this.jobs.waitFor(job.id, 6 * 3_600_000, 1000);
      if (done.status !== 'succeeded') return;
      await this.backups.prune();
      // The fresh backup goes off-site too (the retention applies there in the same run).
      if (this.backups.offsite) await this.jobs.request({ ...SYSTEM_ACTOR, email: `schedule:${name}` }, { runbook: 'offsite-sync', params: {} }, { via: 'schedule' });
    } catch (e) {
      this.ctx.events.publish({ type: 'backup.failed', seq: null, actor: null, data: { schedule: name, error: (e as Error).message }, at: this.ctx.clock.now() }, { kind: 'oncall' });
      throw e; // logged and counted by the lifecycle
    }
  }

}
