import { useEffect, useRef, useState } from 'react';
import { fillPlaceholders, type CannedReply } from '../../../../shared/api/canned';
import type { TicketDetail } from '../../../../shared/ipc';
import { call, errorMessage } from '../../api';
import { Dialog } from '../../ui/Dialog';

/** The values a canned reply's placeholders take for this ticket and agent. */
export function placeholderValues(ticket: TicketDetail['ticket'], agentName: string) {
  return { 'requester.name': ticket.requester, 'requester.email': ticket.requesterEmail, 'ticket.number': String(ticket.number), 'ticket.subject': ticket.subject, 'agent.name': agentName };
}

/**
 * Search picker of canned replies (shared and the agent's own): type to filter, arrows to move,
 * Enter or a click inserts the snippet with its placeholders filled.
 */
export function CannedPicker({ ticket, agentName, onPick, onClose }: { ticket: TicketDetail['ticket']; agentName: string; onPick: (text: string) => void; onClose: () => void }) {
  const [q, setQ] = useState('');
  const [items, setItems] = useState<CannedReply[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      call('api.canned.list', { query: { q } }).then(
        (list) => {
          if (!live) return;
          setItems(list);
          setError(null);
          setActive(0);
        },
        (err: unknown) => {
          if (!live) return;
          setItems([]);
          setError(`Canned replies need the server: ${errorMessage(err)}`);
        },
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q]);
  const pick = (c: CannedReply) => onPick(fillPlaceholders(c.body, placeholderValues(ticket, agentName)));
  return (
    <Dialog title="Insert a canned reply" onClose={onClose}>
      <label>
        <span className="sr-only">Search canned replies</span>
        <input
          ref={input}
          type="search"
          placeholder="Search canned replies…"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => {
            if (!items?.length || !['ArrowDown', 'ArrowUp', 'Enter'].includes(e.key)) return;
            e.preventDefault();
            if (e.key === 'ArrowDown') setActive((active + 1) % items.length);
            else if (e.key === 'ArrowUp') setActive((active - 1 + items.length) % items.length);
            else pick(items[active]!);
          }}
          aria-controls="canned-list"
          aria-activedescendant={items?.length ? `canned-${items[active]?.id}` : undefined}
        />
      </label>
      {error && (
        <p className="sev-high small" role="alert">
          {error}
        </p>
      )}
      {items === null && <p className="muted">Loading…</p>}
      {items?.length === 0 && !error && <p className="muted">{q ? `No canned reply matches "${q}".` : 'No canned replies yet. Admins add shared ones; you can save your own.'}</p>}
      <ul id="canned-list" role="listbox" className="canned-list" aria-label="Canned replies">
        {items?.map((c, i) => (
          <li key={c.id} id={`canned-${c.id}`} role="option" aria-selected={i === active} className={i === active ? 'active' : ''} onMouseEnter={() => setActive(i)} onClick={() => pick(c)}>
            <strong>{c.name}</strong> <span className={`badge ${c.shared ? 'info' : 'ok'}`}>{c.shared ? 'Shared' : 'Mine'}</span>
            <div className="muted small preview">{fillPlaceholders(c.body, placeholderValues(ticket, agentName)).slice(0, 160)}</div>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
