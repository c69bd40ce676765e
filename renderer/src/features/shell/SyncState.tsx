import type { SyncProgress } from '../../../../shared/ipc';
import { Progress } from '../../ui/feedback';

/**
 * What a running sync says in the status bar. A snapshot sync knows its total (records), so it
 * shows "n of total" and a bar; the change-feed path does not (changes so far, no bar); the index
 * build at the end of a bulk sync has no count and says so.
 */
export function syncStatusText(sync: SyncProgress): { text: string; percent: number | null } {
  const verb = sync.phase === 'initial' ? 'Initial sync' : 'Syncing';
  if (sync.step === 'indexing') return { text: `${verb}: building the search index`, percent: null };
  if (sync.total) {
    return { text: `${verb}: ${sync.done.toLocaleString()} of ${sync.total.toLocaleString()} records`, percent: Math.min(100, (sync.done / sync.total) * 100) };
  }
  return { text: `${verb}: ${sync.done.toLocaleString()} changes`, percent: null };
}

export function SyncState({ sync }: { sync: SyncProgress | undefined }) {
  if (sync && (sync.phase === 'initial' || sync.phase === 'delta')) {
    const { text, percent } = syncStatusText(sync);
    return (
      <>
        <span aria-live="polite">{text}</span>
        <Progress value={percent} label="Sync progress" />
      </>
    );
  }
  if (sync?.phase === 'error') {
    return (
      <span className="sev-critical" title={sync.error ?? ''}>
        Sync error
      </span>
    );
  }
  return <>{sync?.lastSyncedAt ? `Synced ${new Date(sync.lastSyncedAt).toLocaleTimeString()}` : 'Not synced yet'}</>;
}
