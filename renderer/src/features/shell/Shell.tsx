import { lazy, Suspense, type ReactNode } from 'react';
import { Toasts } from '../../ui/toasts';
import { currentUser, dismissNotice, useSession } from '../auth/session';
import { navigate, setShortcuts, useUi, type Screen } from './ui';
import { OutboxPanel } from './OutboxPanel';
import { ShortcutSheet } from './ShortcutSheet';
import { StatusBar } from './StatusBar';
import { CommandPalette } from '../palette/CommandPalette';
import { NewTicketDialog } from '../tickets/NewTicketDialog';
import { Queues } from '../queues/QueuesScreen';
import { TicketDetailScreen } from '../tickets/TicketDetail';
import { Alerts } from '../alerts/AlertsScreen';
import { NAV } from './nav';

const Incidents = lazy(() => import('../incidents/IncidentsScreen'));
const Silences = lazy(() => import('../silences/SilencesScreen'));
const Runbooks = lazy(() => import('../runbooks/RunbooksScreen'));
const JobConsole = lazy(() => import('../jobs/JobConsole'));
const Maintenance = lazy(() => import('../maintenance/MaintenanceScreen'));
const Procedures = lazy(() => import('../procedures/ProceduresScreen'));
const Oncall = lazy(() => import('../oncall/OncallScreen'));
const Probes = lazy(() => import('../probes/ProbesScreen'));
const Monitoring = lazy(() => import('../monitoring/MonitoringScreen'));
const Dashboard = lazy(() => import('../dashboard/DashboardScreen'));
const Reports = lazy(() => import('../reports/ReportsScreen'));
const Backups = lazy(() => import('../backups/BackupsScreen'));
const Services = lazy(() => import('../services/ServicesScreen'));
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
    case 'silences':
      content = <Silences />;
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
    case 'procedures':
      content = <Procedures id={route.id} />;
      break;
    case 'oncall':
      content = <Oncall tab={route.id} />;
      break;
    case 'services':
      content = <Services id={route.id} />;
      break;
    case 'probes':
      content = <Probes id={route.id} />;
      break;
    case 'monitoring':
      content = <Monitoring id={route.id} />;
      break;
    case 'dashboard':
      content = <Dashboard />;
      break;
    case 'reports':
      content = <Reports />;
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

function Overlays() {
  const palette = useUi((s) => s.paletteOpen);
  const shortcuts = useUi((s) => s.shortcutsOpen);
  const outbox = useUi((s) => s.outboxOpen);
  const newTicket = useUi((s) => s.newTicketOpen);
  return (
    <>
      {newTicket && <NewTicketDialog />}
      {palette && <CommandPalette />}
      {shortcuts && <ShortcutSheet />}
      {outbox && <OutboxPanel />}
      <Toasts />
    </>
  );
}
