import { create } from 'zustand';
import type { ChannelResponse, SecretStorageStatus } from '../../../../shared/ipc';
import { call } from '../../api';
import { loadInto, notLoaded, type Loadable } from '../../ui/loadable';
import { refreshProfiles } from '../auth/session';

interface SettingsState {
  updates: Loadable<ChannelResponse<'updates.status'>>;
  secretStorage: Loadable<SecretStorageStatus>;
}

export const useSettingsScreen = create<SettingsState>(() => ({ updates: notLoaded(), secretStorage: notLoaded() }));

/** Where sign-in tokens are kept (read fresh each time Settings opens: a problem can appear later). */
export const loadSecretStorage = (opts = { fresh: true }) =>
  loadInto(useSettingsScreen, 'secretStorage', async () => (await call('app.info')).secretStorage, opts);

export const loadUpdates = (opts = { fresh: true }) =>
  loadInto(useSettingsScreen, 'updates', () => call('updates.status'), opts);

/** Asks the update feed now; answers the new status. */
export async function checkForUpdates(): Promise<ChannelResponse<'updates.check'>> {
  const status = await call('updates.check');
  await loadUpdates({ fresh: false });
  return status;
}

export async function installUpdate(): Promise<void> {
  await call('updates.install');
}

export async function removeProfile(id: string): Promise<void> {
  await call('profiles.remove', { id });
  await refreshProfiles();
}
