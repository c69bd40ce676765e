import { useState } from 'react';
import { errorMessage } from '../../api';
import { Dialog } from '../../ui/Dialog';
import { ErrorBox } from '../../ui/feedback';
import { toast } from '../../ui/toasts';
import { applyBulk, checkLoaded, previewBulk, selectAllMatching, type BulkChange, type BulkOutcome } from './actions';
import { userName } from './selectors';
import { useTickets } from './store';
import { StatusPrioritySelects } from './StatusPrioritySelects';

type Pending = { changes: BulkChange; label: string; count: number | null; error: string | null; busy: boolean };

/**
 * Changes the checked tickets, or with "Select all N matching" every ticket of the view on the
 * server: a confirmation shows the server's count first, and a summary lists each ticket that failed.
 */
export function BulkBar({ count }: { count: number }) {
  const users = useTickets((s) => s.users);
  const total = useTickets((s) => s.total);
  const loaded = useTickets((s) => [...s.pages.values()].reduce((n, p) => n + p.length, 0));
  const allMatching = useTickets((s) => s.allMatching);
  const [pending, setPending] = useState<Pending | null>(null);

  const ask = async (changes: BulkChange, label: string) => {
    setPending({ changes, label, count: null, error: null, busy: true });
    try {
      const n = await previewBulk(changes);
      setPending({ changes, label, count: n, error: null, busy: false });
    } catch (e) {
      setPending({ changes, label, count: allMatching ? null : count, error: errorMessage(e), busy: false });
    }
  };
  const confirm = async () => {
    if (!pending) return;
    setPending({ ...pending, busy: true, error: null });
    try {
      const out = await applyBulk(pending.changes);
      setPending(null);
      // The selection is cleared (this bar goes away): the queue screen shows the summary.
      const failed = out.results.filter((r) => !r.ok).length;
      if (failed || allMatching) useTickets.setState({ bulkOutcome: out });
      else toast(`${out.results.length} ticket(s) updated`, 'ok');
    } catch (e) {
      setPending({ ...pending, busy: false, error: errorMessage(e) });
    }
  };

  const assignee = (v: string) => (v === '-' ? null : v);
  return (
    <div className="bulkbar" role="region" aria-label="Bulk actions">
      <strong data-testid="bulk-count">{allMatching && total != null ? `All ${total.toLocaleString()} matching selected` : `${count} selected`}</strong>
      {!allMatching && total != null && total > count && count >= loaded && (
        <button className="small" onClick={() => selectAllMatching(true)}>
          Select all {total.toLocaleString()} matching
        </button>
      )}
      <label className="inline">
        Assign
        <select
          disabled={pending !== null}
          value=""
          onChange={(e) => e.target.value && void ask({ assigneeId: assignee(e.target.value) }, `Assign to ${userName({ users }, assignee(e.target.value))}`)}
        >
          <option value="">…</option>
          <option value="-">Unassigned</option>
          {users
            .filter((u) => !u.disabled)
            .map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
        </select>
      </label>
      <StatusPrioritySelects
        disabled={pending !== null}
        status=""
        priority=""
        statusEmpty="…"
        priorityEmpty="…"
        onStatus={(status) => status && void ask({ status }, `Set status to ${status}`)}
        onPriority={(priority) => priority && void ask({ priority }, `Set priority to ${priority}`)}
      />
      <span className="spacer" />
      <button className="small" onClick={() => checkLoaded(false)}>
        Clear selection
      </button>
      {pending && (
        <Dialog title="Change tickets" onClose={() => !pending.busy && setPending(null)}>
          <div className="form">
            <p style={{ margin: 0 }} data-testid="bulk-confirm">
              {pending.count == null
                ? pending.busy
                  ? 'Counting the tickets on the server…'
                  : 'The server could not count the tickets.'
                : `${pending.label}: ${pending.count.toLocaleString()} ticket${pending.count === 1 ? '' : 's'}${allMatching ? ' matching this view' : ''}.`}
            </p>
            <ErrorBox error={pending.error} />
            <div className="row end">
              <button onClick={() => setPending(null)} disabled={pending.busy}>
                Cancel
              </button>
              <button className="primary" disabled={pending.busy || pending.count === 0 || (pending.count == null && allMatching)} onClick={() => void confirm()}>
                {pending.busy && pending.count != null ? 'Working…' : `Apply to ${pending.count?.toLocaleString() ?? count} ticket(s)`}
              </button>
            </div>
          </div>
        </Dialog>
      )}
    </div>
  );
}

/** What a bulk change did: how many changed, and each ticket that did not with the server's reason. */
export function BulkSummary({ outcome, onClose }: { outcome: BulkOutcome; onClose: () => void }) {
  const failed = outcome.results.filter((r) => !r.ok);
  return (
    <Dialog title="Bulk change done" onClose={onClose}>
      <div className="form" data-testid="bulk-summary">
        <p style={{ margin: 0 }}>
          {(outcome.results.length - failed.length).toLocaleString()} of {outcome.matched.toLocaleString()} ticket(s) changed
          {failed.length ? `; ${failed.length} failed:` : '.'}
        </p>
        {failed.length > 0 && (
          <ul className="bulk-failures" style={{ maxHeight: 240, overflow: 'auto', margin: 0 }}>
            {failed.map((r) => (
              <li key={r.id}>
                <strong>{r.number != null ? `#${r.number}` : r.id}</strong> — {r.message ?? `HTTP ${r.status}`}
              </li>
            ))}
          </ul>
        )}
        <div className="row end">
          <button className="primary" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </Dialog>
  );
}
