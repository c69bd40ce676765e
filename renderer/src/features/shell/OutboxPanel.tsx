import { useEffect } from 'react';
import type { OutboxItem } from '../../../../shared/ipc';
import { errorMessage } from '../../api';
import { Dialog } from '../../ui/Dialog';
import { toast } from '../../ui/toasts';
import { useSession } from '../auth/session';
import { discardItem, keepMine, loadOutbox, retryItem, syncNow, takeTheirs, useOutbox } from './outbox';
import { setOutboxOpen } from './ui';

export function OutboxPanel() {
  const counts = useSession((s) => s.connectivity?.outbox);
  const res = useOutbox((s) => s.items);
  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (e) {
      toast(errorMessage(e), 'error');
    }
  };
  useEffect(() => void loadOutbox({ fresh: true }), []);
  useEffect(() => void loadOutbox(), [counts?.pending, counts?.failed, counts?.conflicts]);
  useEffect(() => {
    const t = setInterval(() => void loadOutbox(), 3000);
    return () => clearInterval(t);
  }, []);
  return (
    <Dialog title="Outbox" onClose={() => setOutboxOpen(false)}>
      <p className="muted">Changes made here wait in the outbox until the server accepts them.</p>
      {res.error && <div className="alert-box error">{res.error}</div>}
      {res.data && res.data.length === 0 && (
        <div className="state">Nothing waiting. Every change is synced.</div>
      )}
      {res.data && res.data.length > 0 && (
        <ul style={{ listStyle: 'none', padding: 0, display: 'flex', flexDirection: 'column', gap: 6 }}>
          {res.data.map((i: OutboxItem) => (
            <li key={i.id} className="step" data-testid="outbox-item">
              <div className="row">
                <strong>{i.summary}</strong>
                <span
                  className={`badge ${i.state === 'failed' ? 'bad' : i.state === 'conflict' ? 'warn' : 'info'}`}
                >
                  {i.state}
                </span>
                <span className="spacer" />
                <span className="muted">{i.attempts} attempt(s)</span>
              </div>
              {i.error && <div className="field-error">{i.error}</div>}
              {i.conflicts.map((c) => (
                <div key={c.field} className="mono">
                  {c.field}: mine <strong>{JSON.stringify(c.mine)}</strong> · theirs{' '}
                  <strong>{JSON.stringify(c.theirs)}</strong>
                </div>
              ))}
              <div className="row" style={{ marginTop: 6 }}>
                {i.state === 'conflict' ? (
                  <>
                    <button className="small" onClick={() => act(() => keepMine(i.id))}>
                      Keep mine
                    </button>
                    <button className="small" onClick={() => act(() => takeTheirs(i.id))}>
                      Take theirs
                    </button>
                  </>
                ) : (
                  <button
                    className="small"
                    disabled={i.state === 'sending'}
                    onClick={() => act(() => retryItem(i.id))}
                  >
                    Retry
                  </button>
                )}
                <button className="small" onClick={() => act(() => discardItem(i.id))}>
                  Discard
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <div className="row end">
        <button onClick={() => act(syncNow)}>Sync now</button>
        <button onClick={() => setOutboxOpen(false)}>Close</button>
      </div>
    </Dialog>
  );
}
