import { create } from 'zustand';
import type { ProcedureDefinitionInfo, ProcedureRun, ProcedureStep } from '../../../../shared/api/procedures';
import { escalationLevelAt } from '../../../../shared/domain/operations';
import { call } from '../../api';
import { loadInto, notLoaded, type Loadable } from '../../ui/loadable';

interface ProceduresState {
  definitions: Loadable<ProcedureDefinitionInfo[]>;
  /** Runs still running or waiting for a person. */
  open: Loadable<ProcedureRun[]>;
  /** Finished runs (completed, failed, aborted), newest first; `historyOf` narrows them to one procedure. */
  history: Loadable<ProcedureRun[]>;
  historyOf: string | null;
  runId: string | null;
  run: Loadable<ProcedureRun>;
}

export const useProcedures = create<ProceduresState>(() => ({
  definitions: notLoaded(),
  open: notLoaded(),
  history: notLoaded(),
  historyOf: null,
  runId: null,
  run: notLoaded(),
}));

// ── derived ─────────────────────────────────────────────────────────────────────────────────────
const FINISHED: ProcedureStep['status'][] = ['done', 'skipped'];
export const isLive = (run: Pick<ProcedureRun, 'status'> | undefined) =>
  run?.status === 'running' || run?.status === 'waiting';
export function progress(run: Pick<ProcedureRun, 'steps'>): { done: number; total: number; pct: number } {
  const done = run.steps.filter((s) => FINISHED.includes(s.status)).length;
  const total = run.steps.length;
  return { done, total, pct: total ? Math.round((done / total) * 100) : 0 };
}
export const isOverdue = (run: Pick<ProcedureRun, 'status' | 'dueAt'>, now: number) =>
  isLive(run) && run.dueAt !== null && now > run.dueAt;
/** A step the app ticked itself (a check that passed, an action, a job that succeeded). */
export const autoTicked = (s: Pick<ProcedureStep, 'status' | 'completedBy'>) =>
  s.status === 'done' && !!s.completedBy?.startsWith('system');
export function stepDetail(s: Pick<ProcedureStep, 'result'>): string | null {
  if (s.result == null) return null;
  if (typeof s.result === 'string') return s.result;
  return (s.result as { detail?: string }).detail ?? null;
}
/** The escalation level an open emergency has reached by its age (the manual's escalation procedure). */
export const escalationOf = (run: Pick<ProcedureRun, 'createdAt'>, now: number) =>
  escalationLevelAt(now - run.createdAt);
export const roleLabel = (role: string | null) =>
  role === 'oncall' ? 'On-call' : role === 'admin' ? 'Admin' : role === 'agent' ? 'Agent' : 'Anyone';
export const levelLabel = (def: ProcedureDefinitionInfo | undefined, level: string | null) =>
  level === null ? null : (def?.levels.find((l) => l.id === level)?.label ?? level);

// ── lists ───────────────────────────────────────────────────────────────────────────────────────
export const loadDefinitions = (opts = { fresh: false }) =>
  loadInto(useProcedures, 'definitions', () => call('api.procedures.list'), opts);
export const loadOpen = (opts = { fresh: false }) =>
  loadInto(
    useProcedures,
    'open',
    () => call('api.procedures.runs.list', { query: { open: 'true', limit: 100 } }),
    opts,
  );
export function loadHistory(
  procedure: string | null = useProcedures.getState().historyOf,
  opts = { fresh: false },
) {
  useProcedures.setState({ historyOf: procedure });
  return loadInto(
    useProcedures,
    'history',
    () =>
      call('api.procedures.runs.list', {
        query: { open: 'false', limit: 50, ...(procedure ? { procedure } : {}) },
      }),
    opts,
  );
}
export function loadOverview(opts = { fresh: true }): Promise<unknown> {
  return Promise.all([loadDefinitions(opts), loadOpen(opts), loadHistory(undefined, opts)]);
}

/** Starts a procedure (at a level, for emergencies); answers the run. */
export function startProcedure(procedure: string, level: string | null): Promise<ProcedureRun> {
  return call('api.procedures.runs.create', { body: { procedure, params: {}, ...(level ? { level } : {}) } });
}

// ── one run ─────────────────────────────────────────────────────────────────────────────────────
export function openRun(runId: string, { fresh = true } = {}): Promise<void> {
  useProcedures.setState({ runId });
  return loadInto(useProcedures, 'run', () => call('api.procedures.runs.get', { params: { id: runId } }), {
    fresh,
  });
}
export function reloadRun(): Promise<void> {
  const id = useProcedures.getState().runId;
  return id ? openRun(id, { fresh: false }) : Promise.resolve();
}
/** A person's answer replaces the run on screen at once (the server answers the run). */
function show(run: ProcedureRun): void {
  if (useProcedures.getState().runId === run.id)
    useProcedures.setState({ run: { data: run, error: null, loading: false } });
}

export async function completeStep(
  runId: string,
  key: string,
  outcome: 'done' | 'skipped' | 'failed',
  note?: string,
): Promise<void> {
  show(
    await call('api.procedures.runs.steps.complete', {
      params: { id: runId, key },
      body: { outcome, ...(note ? { note } : {}) },
    }),
  );
}
export async function recheckStep(runId: string, key: string): Promise<void> {
  show(await call('api.procedures.runs.steps.retry', { params: { id: runId, key } }));
}
export async function runStepJob(runId: string, key: string, confirmation?: string): Promise<void> {
  show(
    await call('api.procedures.runs.steps.run', {
      params: { id: runId, key },
      body: confirmation ? { confirmation } : {},
    }),
  );
}
export async function addNote(runId: string, key: string, body: string): Promise<void> {
  show(await call('api.procedures.runs.steps.notes.add', { params: { id: runId, key }, body: { body } }));
}
export async function abortRun(runId: string, reason: string): Promise<void> {
  const r = await call('api.procedures.runs.abort', {
    params: { id: runId },
    body: { rollback: false, reason },
  });
  show(r.run);
}
