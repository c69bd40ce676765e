import { create } from 'zustand';
import type { ProcedureRun } from '../../../../shared/api/procedures';
import type { ChannelRequest, MaintenanceWindow } from '../../../../shared/ipc';
import { call } from '../../api';
import { loadInto, notLoaded, type Loadable } from '../../ui/loadable';

interface MaintenanceState {
  windows: Loadable<MaintenanceWindow[]>;
  /** The recent maintenance wizard runs. */
  runs: Loadable<ProcedureRun[]>;
  /** The wizard run the wizard screen shows. */
  runId: string | null;
  run: Loadable<ProcedureRun>;
}

export const useMaintenance = create<MaintenanceState>(() => ({
  windows: notLoaded(),
  runs: notLoaded(),
  runId: null,
  run: notLoaded(),
}));

export function wizardProgress(run: Pick<ProcedureRun, 'steps'>): number {
  if (!run.steps.length) return 0;
  return Math.round(
    (run.steps.filter((s) => s.status === 'done' || s.status === 'skipped').length / run.steps.length) * 100,
  );
}
export const isLive = (run: Pick<ProcedureRun, 'status'> | undefined) =>
  run?.status === 'running' || run?.status === 'waiting';

// ── windows ─────────────────────────────────────────────────────────────────────────────────────
export const loadWindows = (opts = { fresh: false }) =>
  loadInto(useMaintenance, 'windows', () => call('api.maintenance.list'), opts);
export function loadWindowList(opts = { fresh: true }): Promise<unknown> {
  return Promise.all([
    loadWindows(opts),
    loadInto(
      useMaintenance,
      'runs',
      () => call('api.procedures.runs.list', { query: { procedure: 'maintenance', limit: 20 } }),
      opts,
    ),
  ]);
}
export async function scheduleWindow(body: ChannelRequest<'api.maintenance.create'>['body']): Promise<void> {
  await call('api.maintenance.create', { body });
}
export async function cancelWindow(id: string): Promise<void> {
  await call('api.maintenance.cancel', { params: { id } });
  await loadWindows();
}

// ── the wizard ──────────────────────────────────────────────────────────────────────────────────
export interface WizardParams {
  watchMinutes: number;
  tasks: string[];
}
/** Starts the maintenance wizard for a window; answers the run. */
export function startWizard(windowId: string, p: WizardParams): Promise<ProcedureRun> {
  return call('api.maintenance.wizard.start', {
    params: { id: windowId },
    body: {
      params: { watchMinutes: p.watchMinutes, tasks: p.tasks.map((runbook) => ({ runbook, params: {} })) },
    },
  });
}

/** The wizard screen shows this run; `fresh` (opening the screen) forgets the run shown before. */
export function openRun(runId: string, { fresh = true } = {}): Promise<void> {
  useMaintenance.setState({ runId });
  return loadInto(useMaintenance, 'run', () => call('api.procedures.runs.get', { params: { id: runId } }), {
    fresh,
  });
}
/** Re-reads the open run, keeping it on screen meanwhile. */
export function reloadRun(): Promise<void> {
  const id = useMaintenance.getState().runId;
  return id ? openRun(id, { fresh: false }) : Promise.resolve();
}

export async function completeStep(runId: string, key: string, outcome: 'done' | 'skipped'): Promise<void> {
  await call('api.procedures.runs.steps.complete', { params: { id: runId, key }, body: { outcome } });
  await reloadRun();
}
export async function retryStep(runId: string, key: string): Promise<void> {
  await call('api.procedures.runs.steps.retry', { params: { id: runId, key } });
  await reloadRun();
}
/** Aborts the run; answers the rollback job when one was started. */
export async function abortRun(runId: string, rollback: boolean): Promise<string | null> {
  const r = await call('api.procedures.runs.abort', {
    params: { id: runId },
    body: { rollback, reason: 'aborted from the wizard' },
  });
  await reloadRun();
  return r.rollbackJobId;
}
