import type { Screen } from './ui';

export const NAV: { screen: Screen; label: string; adminOnly?: boolean }[] = [
  { screen: 'queues', label: 'Queues' },
  { screen: 'alerts', label: 'Alerts' },
  { screen: 'incidents', label: 'Incidents' },
  { screen: 'oncall', label: 'On-call' },
  { screen: 'runbooks', label: 'Runbooks' },
  { screen: 'maintenance', label: 'Maintenance' },
  { screen: 'probes', label: 'Probes' },
  { screen: 'monitoring', label: 'Monitoring' },
  { screen: 'dashboard', label: 'Dashboard' },
  { screen: 'backups', label: 'Backups' },
  { screen: 'admin', label: 'Admin', adminOnly: true },
  { screen: 'settings', label: 'Settings' },
];
