import { statfs } from 'node:fs/promises';
import type { CatalogueDeps } from './procedure-catalogue';
import type { StepContext, StepDefinition, StepResult } from './definitions';
import { httpSnapshot } from './http-snapshot';

const H = 3_600_000;
/** Operational documentation, System Metrics: the warning thresholds (CPU 70 %, memory 80 %, disk 85 %). */
export const RESOURCE_WARNING = { cpu: 70, memory: 80, disk: 85 } as const;

export const ok = (detail: string, extra: Partial<StepResult> = {}): StepResult => ({ ok: true, detail, ...extra });
export const fail = (detail: string, extra: Partial<StepResult> = {}): StepResult => ({ ok: false, detail, ...extra });

export function manual(key: string, phase: string, title: string, instructions: string): StepDefinition {
  return { key, phase, title, kind: 'manual', instructions };
}
export function check(key: string, phase: string, title: string, instructions: string, execute: (c: StepContext) => Promise<StepResult>, onCheckFail: 'wait' | 'fail' = 'wait'): StepDefinition {
  return { key, phase, title, kind: 'check', instructions, execute, onCheckFail };
}
export function action(key: string, phase: string, title: string, instructions: string, execute: (c: StepContext) => Promise<StepResult>): StepDefinition {
  return { key, phase, title, kind: 'action', instructions, execute };
}
export function runbookStep(
  key: string,
  phase: string,
  title: string,
  instructions: string,
  runbook: string,
  params: (c: StepContext) => Record<string, unknown> | null,
  opts: { onJobResult?: (r: unknown) => Record<string, unknown>; attended?: boolean; confirm?: boolean } = {},
): StepDefinition {
  return {
    key,
    phase,
    title,
    kind: 'runbook',
    instructions,
    runbookId: runbook,
    runbook: (c) => {
      const p = params(c);
      return p ? { runbook, params: p } : null;
    },
    ...opts,
  };
}

/** The checks the procedures share: each proves one line of a manual's checklist from a real service. */
export function stepChecks(d: CatalogueDeps) {
  const { ctx } = d;
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
  /** Disk of the data folder now, and CPU, memory and every mount's disk over the last 15 minutes of samples. */
  const resourcesUnderThresholds = async (): Promise<StepResult> => {
    const now = ctx.clock.now();
    const fs = await statfs(ctx.config.DATA_DIR);
    const dataDisk = 100 - (fs.bavail / fs.blocks) * 100;
    const mean = async (name: string) => (await ctx.metricStore.average(name, now - 15 * 60_000, now + 1)).filter((r) => r.samples > 0);
    const [cpu, memory, disks] = await Promise.all([mean('host_cpu_percent'), mean('host_memory_percent'), mean('host_disk_used_percent')]);
    const parts = [`data folder disk ${dataDisk.toFixed(1)} %`];
    const bad: string[] = dataDisk >= RESOURCE_WARNING.disk ? [`data folder disk ${dataDisk.toFixed(1)} % ≥ ${RESOURCE_WARNING.disk} %`] : [];
    for (const [label, rows, limit] of [['CPU', cpu, RESOURCE_WARNING.cpu], ['memory', memory, RESOURCE_WARNING.memory], ['disk', disks, RESOURCE_WARNING.disk]] as const) {
      for (const r of rows) {
        const where = r.labels.mount ? ` ${r.labels.mount}` : '';
        parts.push(`${label}${where} ${r.mean.toFixed(1)} %`);
        if (r.mean >= limit) bad.push(`${label}${where} ${r.mean.toFixed(1)} % ≥ ${limit} %`);
      }
    }
    const data = { dataDiskPercent: dataDisk, cpu: cpu.map((r) => r.mean), memory: memory.map((r) => r.mean), disks: disks.map((r) => ({ mount: r.labels.mount, percent: r.mean })) };
    if (bad.length) return fail(`over the warning threshold: ${bad.join(', ')}`, { data });
    // Without host samples (monitoring off) only the disk is proven: CPU and memory stay with a person.
    if (!cpu.length || !memory.length) return fail(`${parts.join(', ')}; no CPU/memory samples in the last 15 min: check them by hand`, { data });
    return ok(`under the warning thresholds: ${parts.join(', ')}`, { data });
  };
  const failedJobsSince = async (since: number) => {
    const r = await ctx.database.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'failed').where('finished_at', '>=', since).executeTakeFirst();
    return Number(r?.n ?? 0);
  };
  const errorLogCheck = (hours: number | null) => async (c: StepContext): Promise<StepResult> => {
    const since = hours === null ? c.startedAt : ctx.clock.now() - hours * H;
    const failedJobs = await failedJobsSince(since);
    const errLines = await ctx.database.db.selectFrom('job_logs').select((eb) => eb.fn.countAll<number>().as('n')).where('stream', '=', 'err').where('at', '>=', since).executeTakeFirst();
    const http = await httpSnapshot(ctx);
    const perHour = (failedJobs * H) / Math.max(ctx.clock.now() - since, H);
    const data = { failedJobs, errorLogLines: Number(errLines?.n ?? 0), http5xxTotal: http.errors, since };
    // The manual's target: fewer than 5 errors per hour.
    return perHour < 5 ? ok(`${failedJobs} failed job(s), ${data.errorLogLines} error line(s) since ${new Date(since).toISOString()}`, { data }) : fail(`${failedJobs} failed job(s) since ${new Date(since).toISOString()} (target < 5/hour)`, { data });
  };
  return { checkHealth, backupWithin, noCriticalAlerts, resourcesUnderThresholds, errorLogCheck };
}
