import { create } from 'zustand';
import type { ChannelRequest, Job, Runbook } from '../../../../shared/ipc';
import { call } from '../../api';
import { loadInto, notLoaded, type Loadable } from '../../ui/loadable';

interface RunbooksState {
  runbooks: Loadable<Runbook[]>;
  jobs: Loadable<Job[]>;
}

export const useRunbooks = create<RunbooksState>(() => ({ runbooks: notLoaded(), jobs: notLoaded() }));

export function loadCatalogue(opts = { fresh: true }): Promise<unknown> {
  return Promise.all([
    loadInto(useRunbooks, 'runbooks', () => call('api.runbooks.list'), opts),
    loadJobs(opts),
  ]);
}
export const loadJobs = (opts = { fresh: false }) =>
  loadInto(
    useRunbooks,
    'jobs',
    async () => (await call('api.jobs.list', { query: { limit: 30 } })).items,
    opts,
  );

export const awaitingApproval = (s: RunbooksState) =>
  (s.jobs.data ?? []).filter((j) => j.status === 'awaiting_approval');

export async function approveJob(id: string, password?: string): Promise<void> {
  await call('api.jobs.approve', { params: { id }, body: password ? { password } : {} });
  await loadJobs();
}
export async function rejectJob(id: string, reason: string): Promise<void> {
  await call('api.jobs.reject', { params: { id }, body: { reason } });
  await loadJobs();
}
export const requestJob = (body: ChannelRequest<'api.jobs.create'>['body']): Promise<Job> =>
  call('api.jobs.create', { body });

export function dangerOf(r: Runbook): { level: 'safe' | 'caution' | 'destructive'; text: string } {
  if (r.destructive)
    return {
      level: 'destructive',
      text: r.requiresApproval ? 'Destructive · needs approval' : 'Destructive',
    };
  if (r.destructiveWhen) return { level: 'caution', text: `Destructive when ${r.destructiveWhen}` };
  return { level: 'safe', text: 'Safe' };
}
