import { useMemo, useState } from 'react';
import { call, errorMessage } from '../../api';
import { logout, updateSettings, currentUser, useSession } from '../auth/session';
import { setText } from '../queues/slice';
import { navigate, setOutboxOpen, setPalette, setShortcuts } from '../shell/ui';
import { toast } from '../../ui/toasts';
import { NAV } from '../shell/nav';

interface Command {
  id: string;
  title: string;
  hint?: string;
  run: () => void | Promise<unknown>;
}

/** Every screen and the app-wide actions; a number opens that ticket, other text searches. */
export function commandsFor(query: string, isAdmin: boolean): Command[] {
  const base: Command[] = [
    ...NAV.filter((n) => !n.adminOnly || isAdmin).map((n) => ({
      id: `go:${n.screen}`,
      title: `Go to ${n.label}`,
      hint: 'Screen',
      run: () => navigate({ screen: n.screen }),
    })),
    {
      id: 'sync',
      title: 'Sync now',
      hint: 'Action',
      run: async () => (await call('sync.now'), toast('Sync started')),
    },
    { id: 'outbox', title: 'Show outbox (pending changes)', hint: 'Action', run: () => setOutboxOpen(true) },
    {
      id: 'incident:new',
      title: 'Create incident',
      hint: 'Action',
      run: () => navigate({ screen: 'incidents', id: 'new' }),
    },
    {
      id: 'maintenance:new',
      title: 'Schedule maintenance',
      hint: 'Action',
      run: () => navigate({ screen: 'maintenance', id: 'new' }),
    },
    {
      id: 'backup:now',
      title: 'Back up the database now',
      hint: 'Runbook',
      run: async () =>
        navigate({
          screen: 'job',
          id: (await call('jobs.request', { runbook: 'backup-database', params: { kind: 'manual' } })).id,
        }),
    },
    {
      id: 'runbook:health',
      title: 'Run health checks',
      hint: 'Runbook',
      run: async () =>
        navigate({
          screen: 'job',
          id: (await call('jobs.request', { runbook: 'run-health-checks', params: {} })).id,
        }),
    },
    {
      id: 'theme:dark',
      title: 'Theme: dark',
      hint: 'Settings',
      run: () => updateSettings({ theme: 'dark' }),
    },
    {
      id: 'theme:light',
      title: 'Theme: light',
      hint: 'Settings',
      run: () => updateSettings({ theme: 'light' }),
    },
    {
      id: 'theme:system',
      title: 'Theme: follow the system',
      hint: 'Settings',
      run: () => updateSettings({ theme: 'system' }),
    },
    {
      id: 'updates',
      title: 'Check for updates',
      hint: 'Settings',
      run: async () => toast(`Updates: ${(await call('updates.check')).state.replace('_', ' ')}`),
    },
    { id: 'shortcuts', title: 'Keyboard shortcuts', hint: 'Help', run: () => setShortcuts(true) },
    { id: 'logout', title: 'Sign out', hint: 'Session', run: () => logout() },
  ];
  const q = query.trim().toLowerCase();
  const first: Command[] = [];
  const last: Command[] = [];
  const num = /^#?(\d{1,9})$/.exec(q);
  if (num)
    first.push({
      id: 'ticket',
      title: `Open ticket #${num[1]}`,
      hint: 'Ticket',
      run: () => navigate({ screen: 'ticket', id: num[1] }),
    });
  if (q && !num)
    last.push({
      id: 'search',
      title: `Search tickets for “${query.trim()}”`,
      hint: 'Queues',
      run: () => {
        setText(query.trim());
        navigate({ screen: 'queues' });
      },
    });
  const words = q.split(/\s+/).filter(Boolean);
  const matched = base.filter((c) => words.every((w) => c.title.toLowerCase().includes(w)));
  return [...first, ...matched, ...last];
}

export function CommandPalette() {
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const isAdmin = useSession(currentUser)?.role === 'admin';
  const items = useMemo(() => commandsFor(query, isAdmin), [query, isAdmin]);
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
