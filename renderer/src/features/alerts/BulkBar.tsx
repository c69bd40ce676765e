import { useState } from 'react';
import { toast } from '../../ui/toasts';
import { Dialog } from '../../ui/Dialog';
import { BulkSilenceDialog } from './BulkSilenceDialog';
import { bulkAct, clearSelection, useAlerts } from './slice';

/** Shown while alerts are selected: acknowledge, silence or resolve them all (resolving asks first). */
export function BulkBar() {
  const selected = useAlerts((s) => s.selected);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [silencing, setSilencing] = useState(false);
  if (selected.length === 0) return null;
  const run = async (action: 'acknowledge' | 'resolve') => {
    setBusy(true);
    setConfirming(false);
    const r = await bulkAct(action);
    setBusy(false);
    const verb = action === 'acknowledge' ? 'acknowledged' : 'resolved';
    if (r.failed === 0) toast(`${r.done} alert${r.done === 1 ? '' : 's'} ${verb}`, 'ok');
    else toast(`${r.done} ${verb}; ${r.failed} not: ${r.firstError}`, 'error');
  };
  const n = selected.length;
  return (
    <div className="bulkbar" role="toolbar" aria-label="Selected alerts" data-testid="alert-bulk-bar">
      <strong>{n} selected</strong>
      <button disabled={busy} onClick={() => void run('acknowledge')}>
        Acknowledge {n}
      </button>
      <button disabled={busy} onClick={() => setSilencing(true)}>
        Silence {n}…
      </button>
      <button disabled={busy} onClick={() => setConfirming(true)}>
        Resolve {n}…
      </button>
      <button disabled={busy} onClick={clearSelection}>
        Clear selection
      </button>
      {silencing && <BulkSilenceDialog ids={selected} onClose={() => setSilencing(false)} />}
      {confirming && (
        <Dialog title={`Resolve ${n} alert${n === 1 ? '' : 's'}?`} onClose={() => setConfirming(false)}>
          <p>They close for everyone and stop paging. An alert that fires again opens anew.</p>
          <div className="row end">
            <button onClick={() => setConfirming(false)}>Cancel</button>
            <button className="danger" onClick={() => void run('resolve')}>
              Resolve {n}
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
