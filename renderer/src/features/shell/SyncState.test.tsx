// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncProgress } from '../../../../shared/ipc';
import { SyncState, syncStatusText } from './SyncState';

const base: SyncProgress = { phase: 'initial', done: 0, total: null, lastSyncedAt: null, error: null };

afterEach(cleanup);

describe('sync state in the status bar', () => {
  it('a snapshot sync shows records of the total with a determinate bar', () => {
    render(<SyncState sync={{ ...base, step: 'snapshot', done: 20_000, total: 80_000 }} />);
    expect(screen.getByText(`Initial sync: ${(20_000).toLocaleString()} of ${(80_000).toLocaleString()} records`)).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: 'Sync progress' }).getAttribute('aria-valuenow')).toBe('25');
  });

  it('the change-feed path and the index build claim no total they do not know', () => {
    expect(syncStatusText({ ...base, step: 'changes', done: 5000 })).toEqual({ text: `Initial sync: ${(5000).toLocaleString()} changes`, percent: null });
    render(<SyncState sync={{ ...base, step: 'indexing', done: 80_000, total: 80_000 }} />);
    expect(screen.getByText('Initial sync: building the search index')).toBeTruthy();
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBeNull();
    expect(syncStatusText({ ...base, phase: 'delta', done: 3 }).text).toBe('Syncing: 3 changes');
  });

  it('idle, error and never-synced states', () => {
    const { rerender } = render(<SyncState sync={{ ...base, phase: 'error', error: 'boom' }} />);
    expect(screen.getByText('Sync error').getAttribute('title')).toBe('boom');
    rerender(<SyncState sync={{ ...base, phase: 'idle' }} />);
    expect(screen.getByText('Not synced yet')).toBeTruthy();
    rerender(<SyncState sync={{ ...base, phase: 'idle', lastSyncedAt: Date.now() }} />);
    expect(screen.getByText(/^Synced /)).toBeTruthy();
  });
});
