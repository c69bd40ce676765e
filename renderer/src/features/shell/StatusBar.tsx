import { currentUser, logout, useSession } from '../auth/session';
import { OnCallStatus } from '../oncall/OnCallStatus';
import { SyncState } from './SyncState';
import { setOutboxOpen } from './ui';

export function StatusBar() {
  const c = useSession((s) => s.connectivity);
  const user = useSession(currentUser);
  const profiles = useSession((s) => s.profiles);
  const activeId = useSession((s) => s.activeProfileId);
  const profile = profiles.find((p) => p.id === activeId);
  const sync = c?.sync;
  const out = c?.outbox ?? { pending: 0, failed: 0, conflicts: 0 };
  const outTotal = out.pending + out.failed + out.conflicts;
  return (
    <footer className="statusbar" aria-label="Status">
      <span data-testid="online-state">
        <span className={`dot ${c?.online ? (c.live === 'connected' ? 'on' : 'mid') : 'off'}`} aria-hidden />
        {c ? (c.online ? (c.live === 'connected' ? 'Online' : `Online (live ${c.live})`) : 'Offline') : '…'}
      </span>
      <span className="row" style={{ gap: 6 }} data-testid="sync-state">
        <SyncState sync={sync} />
      </span>
      <button
        onClick={() => setOutboxOpen(true)}
        data-testid="outbox-button"
        aria-label={`Outbox: ${out.pending} pending, ${out.failed} failed, ${out.conflicts} conflicts`}
      >
        Outbox {outTotal > 0 ? `${out.pending} pending` : 'empty'}
        {out.failed > 0 && <span className="sev-critical"> · {out.failed} failed</span>}
        {out.conflicts > 0 && <span className="sev-high"> · {out.conflicts} conflicts</span>}
      </button>
      {c?.online && <OnCallStatus />}
      <span className="spacer" />
      <span>{c?.serverLabel ?? profile?.name ?? ''}</span>
      {user && (
        <span>
          {user.name} <span className="muted">({user.role})</span>
        </span>
      )}
      <button onClick={() => void logout()}>Sign out</button>
    </footer>
  );
}
