import { create } from 'zustand';
import type { Backup, ChannelResponse, Job } from '../../../../shared/ipc';
import { call } from '../../api';
import { loadInto, notLoaded, type Loadable } from '../../ui/loadable';

interface BackupsState {
  list: Loadable<Backup[]>;
  overview: Loadable<ChannelResponse<'api.backups.overview'>>;
}

export const useBackups = create<BackupsState>(() => ({ list: notLoaded(), overview: notLoaded() }));

export function loadBackups(opts = { fresh: true }): Promise<unknown> {
  return Promise.all([
    loadInto(useBackups, 'list', () => call('api.backups.list'), opts),
    loadInto(useBackups, 'overview', () => call('api.backups.overview'), opts),
  ]);
}

/** Starts a manual full backup; answers its job. */
export const backUpNow = (): Promise<Job> =>
  call('api.jobs.create', { body: { runbook: 'backup-database', params: { kind: 'manual' } } });

export const verifyBackup = (id: string): Promise<{ id: string }> =>
  call('api.backups.verify', { params: { id } });

/** The server's own gate: destructive runbooks are confirmed with the runbook id. */
export const restoreBackup = (id: string): Promise<{ id: string }> =>
  call('api.backups.restore', { params: { id }, body: { confirmation: 'restore-database' } });

/** The backup's manifest, or (older servers have no manifest route) the backup record carrying the same facts. */
export async function backupManifest(
  id: string,
): Promise<{ name: string; value: unknown; fallback: boolean }> {
  try {
    return {
      name: `${id}.manifest.json`,
      value: await call('api.backups.manifest.get', { params: { id } }),
      fallback: false,
    };
  } catch (e) {
    console.warn('backups: no manifest route, reading the backup record', e);
    return {
      name: `${id}.json`,
      value: await call('api.backups.get', { params: { id } }),
      fallback: true,
    };
  }
}
