import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import type { OutboxItem } from '../../../../shared/ipc';
import { call, errorMessage } from '../../api';
import { Dialog, Progress, useResource } from '../../ui/common';
import { currentUser, dismissNotice, logout, useSession } from '../auth/session';
import { navigate, setOutboxOpen, setShortcuts, toast, useUi, type Screen } from './ui';
import { CommandPalette } from '../palette/CommandPalette';
import { Queues } from '../queues/QueuesScreen';
import { TicketDetailScreen } from '../tickets/TicketDetail';
import { Alerts } from '../alerts/AlertsScreen';
import { NAV } from './nav';

const Incidents = lazy(() => import('../incidents/IncidentsScreen'));
const Runbooks = lazy(() => import('../runbooks/RunbooksScreen'));
const JobConsole = lazy(() => import('../jobs/JobConsole'));
const Maintenance = lazy(() => import('../maintenance/MaintenanceScreen'));
const Dashboard = lazy(() => import('../dashboard/DashboardScreen'));
const Backups = lazy(() => import('../backups/BackupsScreen'));
const Admin = lazy(() => import('../admin/AdminScreen'));
const SettingsScreen = lazy(() => import('../settings/SettingsScreen'));

function navFor(screen: Screen): Screen {
  if (screen === 'ticket') return 'queues';
  if (screen === 'job') return 'runbooks';
  return screen;
}

export function Shell() {
  const route = useUi((s) => s.route);
  const user = useSession(currentUser);
  const unacked = useSession((s) => s.unacked);
  const notices = useSession((s) => s.notices);
  const active = navFor(route.screen);
  const fill = route.screen === 'queues' || route.screen === 'job';

  let content: ReactNode;
  switch (route.screen) {
    case 'queues':
      content = <Queues />;
      break;
    case 'ticket':
      content = <TicketDetailScreen number={Number(route.id)} />;
      break;
    case 'alerts':
      content = <Alerts focusId={route.id ?? null} />;
      break;
    case 'incidents':
      content = <Incidents id={route.id} />;
      break;
    case 'runbooks':
      content = <Runbooks />;
      break;
    case 'job':
      content = <JobConsole id={route.id ?? ''} />;
      break;
    case 'maintenance':
      content = <Maintenance id={route.id} />;
      break;
    case 'dashboard':
      content = <Dashboard />;
      break;
    case 'backups':
      content = <Backups />;
      break;
    case 'admin':
      content = <Admin />;
      break;
    case 'settings':
      content = <SettingsScreen />;
      break;
  }

  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">OpsDesk</div>
        {NAV.filter((n) => !n.adminOnly || user?.role === 'admin').map((n) => (
          <button
            key={n.screen}
            className="nav-item"
            aria-current={active === n.screen ? 'page' : undefined}
            onClick={() => navigate({ screen: n.screen })}
          >
            <span>{n.label}</span>
            {n.screen === 'alerts' && unacked > 0 && (
              <span className="nav-count" aria-label={`${unacked} unacknowledged`}>
                {unacked}
              </span>
            )}
          </button>
        ))}
        <span className="spacer" />
        <button className="nav-item muted" onClick={() => useUi.setState({ paletteOpen: true })}>
          <span>Command palette</span> <kbd>Ctrl K</kbd>
        </button>
        <button className="nav-item muted" onClick={() => setShortcuts(true)}>
          <span>Shortcuts</span> <kbd>?</kbd>
        </button>
      </nav>
      <main className={`main${fill ? ' fill' : ''}`} id="main">
        {notices.map((n) => (
          <div
            key={n.code}
            className={`alert-box ${n.level}`}
            role="status"
            style={{ marginBottom: 8, display: 'flex', gap: 8 }}
          >
            <span style={{ flex: 1 }}>{n.message}</span>
            <button className="small" onClick={() => dismissNotice(n.code)}>
              Dismiss
            </button>
          </div>
        ))}
        <Suspense
          fallback={
            <div className="state" role="status">
              <span className="spinner" aria-hidden /> Loading…
            </div>
          }
        >
          {content}
        </Suspense>
      </main>
      <StatusBar />
      <Overlays />
    </div>
  );
}

function StatusBar() {
  const c = useSession((s) => s.connectivity);
  const user = useSession(currentUser);
  const profiles = useSession((s) => s.profiles);
  const activeId = useSession((s) => s.activeProfileId);
  const profile = profiles.find((p) => p.id === activeId);
  const sync = c?.sync;
  const syncing = sync && (sync.phase === 'initial' || sync.phase === 'delta');
  const out = c?.outbox ?? { pending: 0, failed: 0, conflicts: 0 };
  const outTotal = out.pending + out.failed + out.conflicts;
  return (
    <footer className="statusbar" aria-label="Status">
      <span data-testid="online-state">
        <span className={`dot ${c?.online ? (c.live === 'connected' ? 'on' : 'mid') : 'off'}`} aria-hidden />
        {c ? (c.online ? (c.live === 'connected' ? 'Online' : `Online (live ${c.live})`) : 'Offline') : '…'}
      </span>
      <span className="row" style={{ gap: 6 }} data-testid="sync-state">
        {syncing ? (
          <>
            {sync.phase === 'initial' ? 'Initial sync' : 'Syncing'} {sync.done}
            {sync.total ? ` / ${sync.total}` : ''}
            <Progress
              value={sync.total ? Math.min(100, (sync.done / sync.total) * 100) : null}
              label="Sync progress"
            />
          </>
        ) : sync?.phase === 'error' ? (
          <span className="sev-critical" title={sync.error ?? ''}>
            Sync error
          </span>
        ) : sync?.lastSyncedAt ? (
          `Synced ${new Date(sync.lastSyncedAt).toLocaleTimeString()}`
        ) : (
          'Not synced yet'
        )}
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

function Overlays() {
  const palette = useUi((s) => s.paletteOpen);
  const shortcuts = useUi((s) => s.shortcutsOpen);
  const outbox = useUi((s) => s.outboxOpen);
  const toasts = useUi((s) => s.toasts);
  return (
    <>
      {palette && <CommandPalette />}
      {shortcuts && <ShortcutSheet />}
      {outbox && <OutboxPanel />}
      <div className="toasts" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast ${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
            {t.text}
          </div>
        ))}
      </div>
    </>
  );
}

const SHORTCUTS: [string, string][] = [
  ['Ctrl/Cmd K', 'Command palette'],
  ['j / k', 'Next / previous ticket'],
  ['Enter', 'Open ticket'],
  ['/', 'Search the queue'],
  ['a', 'Assign to me'],
  ['r', 'Reply'],
  ['n', 'Internal note'],
  ['e', 'Resolve'],
  ['x', 'Select ticket for bulk actions'],
  ['Esc', 'Back / close'],
  ['?', 'This sheet'],
];

function ShortcutSheet() {
  return (
    <Dialog title="Keyboard shortcuts" onClose={() => setShortcuts(false)}>
      <table className="data">
        <tbody>
          {SHORTCUTS.map(([k, v]) => (
            <tr key={k}>
              <td>
                <kbd>{k}</kbd>
              </td>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row end" style={{ marginTop: 12 }}>
        <button onClick={() => setShortcuts(false)}>Close</button>
      </div>
    </Dialog>
  );
}

function OutboxPanel() {
  const [tick, setTick] = useState(0);
  const counts = useSession((s) => s.connectivity?.outbox);
  const res = useResource(
    () => call('outbox.list'),
    [tick, counts?.pending, counts?.failed, counts?.conflicts],
  );
  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      setTick((t) => t + 1);
    } catch (e) {
      toast(errorMessage(e), 'error');
    }
  };
  useEffect(() => {
    const t = setInterval(() => setTick((x) => x + 1), 3000);
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
                    <button
                      className="small"
                      onClick={() => act(() => call('outbox.resolveConflict', { id: i.id, choice: 'mine' }))}
                    >
                      Keep mine
                    </button>
                    <button
                      className="small"
                      onClick={() =>
                        act(() => call('outbox.resolveConflict', { id: i.id, choice: 'theirs' }))
                      }
                    >
                      Take theirs
                    </button>
                  </>
                ) : (
                  <button
                    className="small"
                    disabled={i.state === 'sending'}
                    onClick={() => act(() => call('outbox.retry', { id: i.id }))}
                  >
                    Retry
                  </button>
                )}
                <button className="small" onClick={() => act(() => call('outbox.discard', { id: i.id }))}>
                  Discard
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <div className="row end">
        <button onClick={() => act(() => call('sync.now'))}>Sync now</button>
        <button onClick={() => setOutboxOpen(false)}>Close</button>
      </div>
    </Dialog>
  );
}
