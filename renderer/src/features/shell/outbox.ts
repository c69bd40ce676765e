import { create } from 'zustand';
import type { OutboxItem } from '../../../../shared/ipc';
import { call } from '../../api';
import { loadInto, notLoaded, type Loadable } from '../../ui/loadable';

/** The outbox panel's list: what waits for the server, what failed, what conflicts. */
export const useOutbox = create<{ items: Loadable<OutboxItem[]> }>(() => ({ items: notLoaded() }));

export const loadOutbox = (opts = { fresh: false }) =>
  loadInto(useOutbox, 'items', () => call('outbox.list'), opts);

async function thenReload(p: Promise<unknown>): Promise<void> {
  await p;
  await loadOutbox();
}
export const keepMine = (id: number) => thenReload(call('outbox.resolveConflict', { id, choice: 'mine' }));
export const takeTheirs = (id: number) =>
  thenReload(call('outbox.resolveConflict', { id, choice: 'theirs' }));
export const retryItem = (id: number) => thenReload(call('outbox.retry', { id }));
export const discardItem = (id: number) => thenReload(call('outbox.discard', { id }));
export const syncNow = () => thenReload(call('sync.now'));
