import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../api';
import { toast } from '../../ui/toasts';
import { BulkBar, BulkSummary } from './BulkBar';
import { SaveViewDialog } from './SaveViewDialog';
import { StatusPrioritySelects } from './StatusPrioritySelects';
import { TicketGrid } from './TicketGrid';
import { useQueueShortcuts } from './useQueueShortcuts';
import {
  openQueues,
  removeView,
  selectView,
  setViewShared,
  setPriorityFilter,
  setStatusFilter,
  setText,
} from './actions';
import { useTickets } from './store';
import { setNewTicket } from '../shell/ui';

export function Queues() {
  const views = useTickets((s) => s.views);
  const activeViewId = useTickets((s) => s.activeViewId);
  const total = useTickets((s) => s.total);
  const error = useTickets((s) => s.error);
  const loading = useTickets((s) => s.loading);
  const text = useTickets((s) => s.text);
  const sort = useTickets((s) => s.sort);
  const statusFilter = useTickets((s) => s.statusFilter);
  const priorityFilter = useTickets((s) => s.priorityFilter);
  const checked = useTickets((s) => s.checked);
  const bulkOutcome = useTickets((s) => s.bulkOutcome);
  const [search, setSearch] = useState(text);
  const [seenText, setSeenText] = useState(text);
  if (seenText !== text) {
    // The palette can set the search from outside: adopt it.
    setSeenText(text);
    setSearch(text);
  }
  const [saving, setSaving] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    // Re-read on every visit: the signed-in user or profile may have changed since the last one.
    void openQueues();
  }, []);
  useEffect(() => {
    const t = setTimeout(() => search !== useTickets.getState().text && setText(search), 200);
    return () => clearTimeout(t);
  }, [search]);

  useQueueShortcuts(searchRef);

  const active = views.find((v) => v.id === activeViewId);

  return (
    <div className="queues">
      <nav className="views" aria-label="Saved views">
        <h2 style={{ marginTop: 0 }}>Views</h2>
        {views.map((v) => (
          <button
            key={v.id}
            aria-pressed={v.id === activeViewId}
            onClick={() => selectView(v.id)}
            title={v.pending ? 'Saved here; waiting to reach the server' : v.shared ? (v.mine ? 'Shared with the team' : `Shared by ${v.ownerName ?? 'a colleague'}`) : undefined}
          >
            {v.name}
            {v.shared && <span className="muted"> · shared{!v.mine && v.ownerName ? ` by ${v.ownerName}` : ''}</span>}
            {v.pending && <span className="muted"> · pending</span>}
          </button>
        ))}
        <button onClick={() => setSaving(true)} className="muted">
          + Save current as view…
        </button>
        {active && !active.builtIn && active.mine && (
          <button className="muted" onClick={() => void setViewShared(active, !active.shared).catch((e) => toast(errorMessage(e), 'error'))}>
            {active.shared ? `Stop sharing “${active.name}”` : `Share “${active.name}” with the team`}
          </button>
        )}
        {active && !active.builtIn && active.mine && (
          <button
            className="muted"
            onClick={() => void removeView(active.id).catch((e) => toast(errorMessage(e), 'error'))}
          >
            − Remove “{active.name}”
          </button>
        )}
      </nav>
      <section className="list-wrap" aria-labelledby="queue-title">
        <div className="page-head">
          <h1 id="queue-title">{active?.name ?? 'Tickets'}</h1>
          <span className="muted" data-testid="ticket-total" aria-live="polite">
            {total == null ? 'Loading…' : `${total.toLocaleString()} ticket${total === 1 ? '' : 's'}`}
          </span>
          {loading && <span className="spinner" aria-label="Loading" />}
        </div>
        <div className="toolbar">
          <label className="inline">
            <span className="sr-only">Search tickets</span>
            <input
              ref={searchRef}
              type="search"
              placeholder="Search (press /)"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              style={{ width: 240 }}
            />
          </label>
          <StatusPrioritySelects
            status={statusFilter?.[0] ?? ''}
            priority={priorityFilter?.[0] ?? ''}
            statusEmpty="Any (view)"
            priorityEmpty="Any"
            onStatus={(s) => setStatusFilter(s ? [s] : undefined)}
            onPriority={(p) => setPriorityFilter(p ? [p] : undefined)}
          />
          <span className="spacer" />
          <button className="primary" onClick={() => setNewTicket(true)} title="New ticket (c)">
            + New ticket
          </button>
          <span className="muted" style={{ fontSize: 12.5 }}>
            <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> open · <kbd>?</kbd> all shortcuts
          </span>
        </div>
        {checked.size > 0 && <BulkBar count={checked.size} />}
        {error && (
          <div className="alert-box error" role="alert" style={{ marginBottom: 8 }}>
            {error}
          </div>
        )}
        <TicketGrid sort={sort} />
      </section>
      {saving && <SaveViewDialog onClose={() => setSaving(false)} />}
      {bulkOutcome && <BulkSummary outcome={bulkOutcome} onClose={() => useTickets.setState({ bulkOutcome: null })} />}
    </div>
  );
}
