import { useEffect, useRef, useState } from 'react';
import { PRIORITIES, TICKET_STATUSES, type TicketSort, type TicketSummary } from '../../../../shared/ipc';
import { errorMessage } from '../../api';
import { Dialog } from '../../ui/Dialog';
import { useNow } from '../../ui/hooks';
import { formatCountdown, liveSlaState, relativeTime, titleCase } from '../../lib/format';
import { currentUser, useSession } from '../auth/session';
import {
  bulkUpdate,
  checkLoaded,
  ensureRows,
  loadQueueMeta,
  moveCursor,
  removeView,
  resetList,
  saveCurrentAsView,
  selectView,
  setCursor,
  setPriorityFilter,
  setSort,
  setStatusFilter,
  setText,
  ticketAt,
  toggleChecked,
  userName,
  useTickets,
} from './slice';
import { setComposeIntent, quickUpdate } from '../tickets/slice';
import { navigate, setShortcuts, useUi } from '../shell/ui';
import { toast } from '../../ui/toasts';

const ROW = 36;

export function slaDue(t: TicketSummary): number | null {
  // A due time before the ticket existed is not a real target.
  const real = (d: number | null) => (d != null && d >= t.createdAt ? d : null);
  if (t.status === 'new' && real(t.firstResponseDueAt) != null) return real(t.firstResponseDueAt);
  return real(t.resolutionDueAt) ?? real(t.firstResponseDueAt);
}

export function SlaCell({ t, now }: { t: TicketSummary; now: number }) {
  const due = slaDue(t);
  const state =
    t.status === 'resolved' || t.status === 'closed'
      ? 'met'
      : t.status === 'pending'
        ? 'paused'
        : liveSlaState(t.slaState, due, now);
  const text =
    state === 'met' || t.status === 'resolved' || t.status === 'closed'
      ? 'Met'
      : state === 'paused' || t.status === 'pending'
        ? 'Paused'
        : state === 'none' || due == null
          ? '—'
          : formatCountdown(due, now);
  return (
    <span className={`badge sla-${state}`} title={`SLA ${state}`}>
      {text}
    </span>
  );
}

export function PriorityBadge({ p }: { p: TicketSummary['priority'] }) {
  return (
    <span className={`sev sev-${p}`}>
      <span className="sev-dot" aria-hidden /> {p}
    </span>
  );
}

function isTyping(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  return (
    !!t &&
    (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)
  );
}

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
    void loadQueueMeta().then(() => resetList(true));
  }, []);
  useEffect(() => {
    const t = setTimeout(() => search !== useTickets.getState().text && setText(search), 200);
    return () => clearTimeout(t);
  }, [search]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (
        e.ctrlKey ||
        e.metaKey ||
        e.altKey ||
        useUi.getState().paletteOpen ||
        document.querySelector('[role="dialog"]')
      )
        return;
      if (isTyping(e)) {
        if (e.key === 'Escape') (e.target as HTMLElement).blur();
        return;
      }
      const s = useTickets.getState();
      const t = ticketAt(s, s.cursor);
      const me = currentUser(useSession.getState());
      switch (e.key) {
        case 'j':
          moveCursor(1);
          break;
        case 'k':
          moveCursor(-1);
          break;
        case 'Enter':
        case 'o':
          if (t) navigate({ screen: 'ticket', id: String(t.number) });
          break;
        case '/':
          e.preventDefault();
          searchRef.current?.focus();
          break;
        case 'x':
          if (t) toggleChecked(t.id);
          break;
        case 'a':
          if (t && me)
            void quickUpdate(t.id, { assigneeId: me.id }).then(
              () => toast(`#${t.number} assigned to you`, 'ok'),
              (err) => toast(errorMessage(err), 'error'),
            );
          break;
        case 'e':
          if (t)
            void quickUpdate(t.id, { status: 'resolved' }).then(
              () => toast(`#${t.number} resolved`, 'ok'),
              (err) => toast(errorMessage(err), 'error'),
            );
          break;
        case 'r':
        case 'n':
          if (t) {
            setComposeIntent(e.key === 'r' ? 'reply' : 'note');
            navigate({ screen: 'ticket', id: String(t.number) });
          }
          break;
        case '?':
          setShortcuts(true);
          break;
        default:
          return;
      }
      e.preventDefault();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const active = views.find((v) => v.id === activeViewId);

  return (
    <div className="queues">
      <nav className="views" aria-label="Saved views">
        <h2 style={{ marginTop: 0 }}>Views</h2>
        {views.map((v) => (
          <button key={v.id} aria-pressed={v.id === activeViewId} onClick={() => selectView(v.id)}>
            {v.name}
          </button>
        ))}
        <button onClick={() => setSaving(true)} className="muted">
          + Save current as view…
        </button>
        {active && !active.builtIn && (
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
          <label className="inline">
            Status
            <select
              value={statusFilter?.[0] ?? ''}
              onChange={(e) =>
                setStatusFilter(
                  e.target.value ? [e.target.value as (typeof TICKET_STATUSES)[number]] : undefined,
                )
              }
            >
              <option value="">Any (view)</option>
              {TICKET_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {titleCase(s)}
                </option>
              ))}
            </select>
          </label>
          <label className="inline">
            Priority
            <select
              value={priorityFilter?.[0] ?? ''}
              onChange={(e) =>
                setPriorityFilter(
                  e.target.value ? [e.target.value as (typeof PRIORITIES)[number]] : undefined,
                )
              }
            >
              <option value="">Any</option>
              {PRIORITIES.map((s) => (
                <option key={s} value={s}>
                  {titleCase(s)}
                </option>
              ))}
            </select>
          </label>
          <span className="spacer" />
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
    </div>
  );
}

function SortHead({ field, label, sort }: { field: TicketSort['field']; label: string; sort: TicketSort }) {
  const on = sort.field === field;
  return (
    <div role="columnheader" aria-sort={on ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button onClick={() => setSort(field)}>
        {label}
        {on ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
      </button>
    </div>
  );
}

function TicketGrid({ sort }: { sort: TicketSort }) {
  const total = useTickets((s) => s.total);
  const pages = useTickets((s) => s.pages);
  const cursor = useTickets((s) => s.cursor);
  const checked = useTickets((s) => s.checked);
  const users = useTickets((s) => s.users);
  const parentRef = useRef<HTMLDivElement>(null);
  const now = useNow(1000);
  const count = total ?? 0;
  // Rows have one fixed height: the visible window comes straight from scrollTop (O(visible)).
  const [view, setView] = useState({ top: 0, height: 600 });
  const frame = useRef(0);
  useEffect(() => {
    const el = parentRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setView({ top: el.scrollTop, height: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const first = Math.max(0, Math.floor(view.top / ROW) - 8);
  const last = Math.min(count - 1, Math.ceil((view.top + view.height) / ROW) + 8);
  const items: number[] = [];
  for (let i = first; i <= last; i++) items.push(i);

  useEffect(() => {
    if (count > 0) void ensureRows(first, last);
  }, [first, last, count, pages]);
  useEffect(() => {
    // Keep the keyboard cursor in view.
    const el = parentRef.current;
    if (!el || count === 0) return;
    const y = cursor * ROW;
    if (y < el.scrollTop) el.scrollTop = y;
    else if (y + ROW > el.scrollTop + el.clientHeight) el.scrollTop = y + ROW - el.clientHeight;
  }, [cursor, count]);

  return (
    <div
      role="grid"
      aria-label="Tickets"
      aria-rowcount={count}
      style={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}
    >
      <div className="grid-head" role="row">
        <div role="columnheader">
          <input
            type="checkbox"
            aria-label="Select all loaded tickets"
            checked={checked.size > 0}
            onChange={(e) => checkLoaded(e.target.checked)}
          />
        </div>
        <SortHead field="priority" label="Priority" sort={sort} />
        <SortHead field="number" label="#" sort={sort} />
        <SortHead field="subject" label="Subject" sort={sort} />
        <SortHead field="requester" label="Requester" sort={sort} />
        <SortHead field="status" label="Status" sort={sort} />
        <SortHead field="assignee" label="Assignee" sort={sort} />
        <SortHead field="slaDue" label="SLA" sort={sort} />
        <SortHead field="updatedAt" label="Updated" sort={sort} />
      </div>
      <div
        className="grid-body"
        ref={parentRef}
        tabIndex={0}
        aria-label="Ticket list; j and k move, Enter opens"
        data-testid="ticket-list"
        onScroll={(e) => {
          const el = e.currentTarget;
          cancelAnimationFrame(frame.current);
          frame.current = requestAnimationFrame(() =>
            setView({ top: el.scrollTop, height: el.clientHeight }),
          );
        }}
      >
        {total === 0 && (
          <div className="state" style={{ margin: 16 }}>
            No tickets match this view.
          </div>
        )}
        <div style={{ height: count * ROW, position: 'relative' }}>
          {items.map((index) => {
            const t = ticketAt(useTickets.getState(), index);
            const style = { transform: `translateY(${index * ROW}px)` };
            if (!t)
              return (
                <div key={index} className="grid-row" style={style} role="row" aria-rowindex={index + 1}>
                  <div />
                  <div className="muted">…</div>
                </div>
              );
            return (
              <div
                key={index}
                className={`grid-row${checked.has(t.id) ? ' checked' : ''}`}
                style={style}
                role="row"
                aria-rowindex={index + 1}
                aria-selected={index === cursor}
                data-number={t.number}
                onClick={() => setCursor(index)}
                onDoubleClick={() => navigate({ screen: 'ticket', id: String(t.number) })}
              >
                <div role="gridcell">
                  <input
                    type="checkbox"
                    aria-label={`Select ticket ${t.number}`}
                    checked={checked.has(t.id)}
                    onChange={() => toggleChecked(t.id)}
                    onClick={(e) => e.stopPropagation()}
                  />
                </div>
                <div role="gridcell">
                  <PriorityBadge p={t.priority} />
                </div>
                <div role="gridcell" className="mono">
                  #{t.number}
                </div>
                <div role="gridcell" title={t.subject}>
                  <a
                    href={`#/ticket/${t.number}`}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate({ screen: 'ticket', id: String(t.number) });
                    }}
                    style={{ color: 'inherit', textDecoration: 'none', fontWeight: 500 }}
                  >
                    {t.subject}
                  </a>
                  {t.pending && <span className="pending-mark"> · pending sync</span>}
                  {t.conflict && <span className="sev-high"> · conflict</span>}
                </div>
                <div role="gridcell" title={t.requesterEmail}>
                  {t.requester}
                </div>
                <div role="gridcell">{titleCase(t.status)}</div>
                <div role="gridcell">{userName({ users }, t.assigneeId)}</div>
                <div role="gridcell">
                  <SlaCell t={t} now={now} />
                </div>
                <div role="gridcell" className="muted" title={new Date(t.updatedAt).toLocaleString()}>
                  {relativeTime(t.updatedAt, now)}
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

function BulkBar({ count }: { count: number }) {
  const users = useTickets((s) => s.users);
  const [busy, setBusy] = useState(false);
  const apply = async (changes: Parameters<typeof bulkUpdate>[0]) => {
    setBusy(true);
    try {
      const n = await bulkUpdate(changes);
      toast(`${n} ticket(s) updated`, 'ok');
    } catch (e) {
      toast(errorMessage(e), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="bulkbar" role="region" aria-label="Bulk actions">
      <strong>{count} selected</strong>
      <label className="inline">
        Assign
        <select
          disabled={busy}
          value=""
          onChange={(e) =>
            e.target.value && void apply({ assigneeId: e.target.value === '-' ? null : e.target.value })
          }
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
      <label className="inline">
        Status
        <select
          disabled={busy}
          value=""
          onChange={(e) =>
            e.target.value && void apply({ status: e.target.value as (typeof TICKET_STATUSES)[number] })
          }
        >
          <option value="">…</option>
          {TICKET_STATUSES.map((s) => (
            <option key={s} value={s}>
              {titleCase(s)}
            </option>
          ))}
        </select>
      </label>
      <label className="inline">
        Priority
        <select
          disabled={busy}
          value=""
          onChange={(e) =>
            e.target.value && void apply({ priority: e.target.value as (typeof PRIORITIES)[number] })
          }
        >
          <option value="">…</option>
          {PRIORITIES.map((s) => (
            <option key={s} value={s}>
              {titleCase(s)}
            </option>
          ))}
        </select>
      </label>
      <span className="spacer" />
      <button className="small" onClick={() => checkLoaded(false)}>
        Clear selection
      </button>
    </div>
  );
}

function SaveViewDialog({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog title="Save view" onClose={onClose}>
      <form
        className="form"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            await saveCurrentAsView(name);
            onClose();
          } catch (err) {
            setError(errorMessage(err));
          }
        }}
      >
        <label>
          Name
          <input required maxLength={80} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <p className="muted" style={{ margin: 0 }}>
          Saves the current view&apos;s filter with your search, status and priority refinements and the sort
          order.
        </p>
        {error && <div className="alert-box error">{error}</div>}
        <div className="row end">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button className="primary" type="submit">
            Save
          </button>
        </div>
      </form>
    </Dialog>
  );
}
