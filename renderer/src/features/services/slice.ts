import { create } from 'zustand';
import type { Job, ServiceLogs, ServiceStatus } from '../../../../shared/ipc';
import { FINISHED_JOB_STATUSES } from '../../../../shared/domain/jobs';
import { call } from '../../api';
import { loadInto, notLoaded, type Loadable } from '../../ui/loadable';

interface ServicesState {
  list: Loadable<ServiceStatus[]>;
  logs: Loadable<ServiceLogs>;
  /** The job the last restart or scale from this screen started. */
  lastJob: { service: string; action: string; job: Job } | null;
}

export const useServices = create<ServicesState>(() => ({ list: notLoaded(), logs: notLoaded(), lastJob: null }));

export const loadServices = (opts = { fresh: false }) =>
  loadInto(useServices, 'list', () => call('api.services.list'), opts);

/** Re-reads the last job this screen started until it finishes (the screen polls). */
export async function refreshLastJob(): Promise<void> {
  const last = useServices.getState().lastJob;
  if (!last || FINISHED_JOB_STATUSES.includes(last.job.status)) return;
  const job = await call('api.jobs.get', { params: { id: last.job.id } });
  if (useServices.getState().lastJob?.job.id === job.id) useServices.setState({ lastJob: { ...last, job } });
}

export const loadServiceLogs = (name: string, opts = { fresh: false }) =>
  loadInto(useServices, 'logs', () => call('api.services.logs', { params: { name }, query: { lines: 40 } }), opts);

/** The declared services' names, for the runbook forms' service pickers. */
export async function serviceNames(): Promise<string[]> {
  const have = useServices.getState().list.data;
  if (have) return have.map((s) => s.name);
  await loadServices();
  const list = useServices.getState().list;
  if (list.error) throw new Error(list.error);
  return (list.data ?? []).map((s) => s.name);
}

export async function restartService(name: string): Promise<Job> {
  const job = await call('api.services.restart', { params: { name } });
  useServices.setState({ lastJob: { service: name, action: 'restart', job } });
  return job;
}

/** Scaling to 0 is destructive: the server wants the runbook id typed as the confirmation. */
export async function scaleService(name: string, replicas: number, confirmation?: string): Promise<Job> {
  const job = await call('api.services.scale', { params: { name }, body: { replicas, confirmation } });
  useServices.setState({ lastJob: { service: name, action: `scale to ${replicas}`, job } });
  return job;
}

export type Tone = 'ok' | 'bad' | 'warn' | 'neutral';

export function healthTone(h: ServiceStatus['health']): Tone {
  return h === 'healthy' ? 'ok' : h === 'unhealthy' ? 'bad' : h === 'starting' ? 'warn' : 'neutral';
}

/** Ready replicas: running and passing their own check where they have one. */
export const readyCount = (s: ServiceStatus): number =>
  s.replicas.filter((r) => r.state === 'running' && (r.health === undefined || r.health === 'none' || r.health === 'healthy')).length;
