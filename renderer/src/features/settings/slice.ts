import { create } from 'zustand';
import type { ChannelResponse } from '../../../../shared/ipc';
import { call } from '../../api';
import { loadInto, notLoaded, type Loadable } from '../../ui/loadable';
import { refreshProfiles } from '../auth/session';

interface SettingsState {
  updates: Loadable<ChannelResponse<'updates.status'>>;
}

export const useSettingsScreen = create<SettingsState>(() => ({ updates: notLoaded() }));

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
