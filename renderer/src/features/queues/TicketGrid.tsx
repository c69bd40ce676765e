import { useEffect, useRef, useState } from 'react';
import type { TicketSort } from '../../../../shared/ipc';
import { relativeTime, titleCase } from '../../lib/format';
import { useNow } from '../../ui/hooks';
import { navigate } from '../shell/ui';
import { checkLoaded, ensureRows, setCursor, setSort, toggleChecked } from './actions';
import { ticketAt, userName } from './selectors';
import { useTickets } from './store';
import { PriorityBadge, SlaCell } from './TicketCells';
import { PendingMark } from '../shell/PendingMark';

const ROW = 36;

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

export function TicketGrid({ sort }: { sort: TicketSort }) {
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
                  <PendingMark ticketId={t.id} pending={t.pending} />
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
