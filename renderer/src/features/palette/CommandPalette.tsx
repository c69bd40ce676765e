import { useEffect, useMemo, useState } from 'react';
import { errorMessage } from '../../api';
import { toast } from '../../ui/toasts';
import { currentUser, useSession } from '../auth/session';
import { loadDefinitions, useProcedures } from '../procedures/slice';
import { setPalette } from '../shell/ui';
import { commandsFor, type Command } from './commands';

export function CommandPalette() {
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const isAdmin = useSession(currentUser)?.role === 'admin';
  const procedures = useProcedures((s) => s.definitions.data);
  useEffect(() => void loadDefinitions(), []);
  const items = useMemo(() => commandsFor(query, isAdmin, procedures), [query, isAdmin, procedures]);
  const sel = Math.min(index, Math.max(0, items.length - 1));

  async function run(c: Command | undefined) {
    if (!c) return;
    setPalette(false);
    try {
      await c.run();
    } catch (e) {
      toast(errorMessage(e), 'error');
    }
  }

  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && setPalette(false)}>
      <div className="dialog palette" role="dialog" aria-modal="true" aria-label="Command palette">
        <input
          autoFocus
          role="combobox"
          aria-expanded="true"
          aria-controls="palette-list"
          aria-activedescendant={items[sel] ? `cmd-${items[sel].id}` : undefined}
          aria-label="Type a command, a screen, a ticket number or search text"
          placeholder="Type a command, a screen, #ticket or search text…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setIndex(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setIndex((i) => Math.min(items.length - 1, i + 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setIndex((i) => Math.max(0, i - 1));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              void run(items[sel]);
            } else if (e.key === 'Escape') {
              setPalette(false);
            }
          }}
        />
        <ul id="palette-list" role="listbox" aria-label="Commands">
          {items.length === 0 && <li className="muted">No matching command</li>}
          {items.map((c, i) => (
            <li
              key={c.id}
              id={`cmd-${c.id}`}
              role="option"
              aria-selected={i === sel}
              onMouseEnter={() => setIndex(i)}
              onClick={() => void run(c)}
            >
              <span>{c.title}</span>
              <span className="muted">{c.hint}</span>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
