import type { ProcedureDefinitionInfo } from '../../../../shared/api/procedures';
import { logout, updateSettings } from '../auth/session';
import { backUpNow } from '../backups/slice';
import { setText } from '../queues/actions';
import { requestJob } from '../runbooks/slice';
import { checkForUpdates } from '../settings/slice';
import { loadOnCallNow, onCallLine } from '../oncall/slice';
import { choosePeriod } from '../reports/slice';
import { setSilenceTab } from '../silences/slice';
import { syncNow } from '../shell/outbox';
import { NAV } from '../shell/nav';
import { navigate, setNewTicket, setOutboxOpen, setShortcuts } from '../shell/ui';
import { toast } from '../../ui/toasts';

export interface Command {
  id: string;
  title: string;
  hint?: string;
  run: () => void | Promise<unknown>;
}

/** Every screen, the app-wide actions and the procedures to start; a number opens that ticket, other text searches. */
export function commandsFor(
  query: string,
  isAdmin: boolean,
  procedures: readonly ProcedureDefinitionInfo[] = [],
): Command[] {
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
      run: async () => (await syncNow(), toast('Sync started')),
    },
    { id: 'outbox', title: 'Show outbox (pending changes)', hint: 'Action', run: () => setOutboxOpen(true) },
    { id: 'ticket:new', title: 'New ticket', hint: 'Action · c', run: () => setNewTicket(true) },
    {
      id: 'incident:new',
      title: 'Create incident',
      hint: 'Action',
      run: () => navigate({ screen: 'incidents', id: 'new' }),
    },
    {
      id: 'oncall:now',
      title: 'Who is on call now',
      hint: 'On-call',
      run: async () => toast(`On call: ${onCallLine(await loadOnCallNow())}`),
    },
    ...(['daily', 'weekly'] as const).map((period) => ({
      id: `reports:${period}`,
      title: `${period === 'daily' ? 'Daily' : 'Weekly'} report (MTTA/MTTR, on-call load, SLA)`,
      hint: 'Reports',
      run: () => (choosePeriod(period), navigate({ screen: 'reports' })),
    })),
    {
      id: 'oncall:policies',
      title: 'Escalation policies (who would be paged now)',
      hint: 'On-call',
      run: () => navigate({ screen: 'oncall', id: 'policies' }),
    },
    {
      id: 'silences:expired',
      title: 'Expired silences',
      hint: 'Alerts',
      run: () => (setSilenceTab('expired'), navigate({ screen: 'silences' })),
    },
    {
      id: 'maintenance:new',
      title: 'Schedule maintenance',
      hint: 'Action',
      run: () => navigate({ screen: 'maintenance', id: 'new' }),
    },
    // Every procedure the person may start (the palette loads the list when it opens).
    ...procedures
      .filter((d) => d.category !== 'wizard' && (d.assignedRole !== 'admin' || isAdmin))
      .map((d) => ({
        id: `procedure:${d.id}`,
        title: `Start procedure: ${d.title}`,
        hint: d.category === 'emergency' ? 'Emergency' : 'Checklist',
        run: () => navigate({ screen: 'procedures', id: `start:${d.id}` }),
      })),
    {
      id: 'backup:now',
      title: 'Back up the database now',
      hint: 'Runbook',
      run: async () => navigate({ screen: 'job', id: (await backUpNow()).id }),
    },
    {
      id: 'runbook:health',
      title: 'Run health checks',
      hint: 'Runbook',
      run: async () =>
        navigate({ screen: 'job', id: (await requestJob({ runbook: 'run-health-checks', params: {} })).id }),
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
      run: async () => toast(`Updates: ${(await checkForUpdates()).state.replace('_', ' ')}`),
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
