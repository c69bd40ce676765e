import type { Screen } from './ui';

export const NAV: { screen: Screen; label: string; adminOnly?: boolean }[] = [
  { screen: 'queues', label: 'Queues' },
  { screen: 'alerts', label: 'Alerts' },
  { screen: 'silences', label: 'Silences' },
  { screen: 'incidents', label: 'Incidents' },
  { screen: 'oncall', label: 'On-call' },
  { screen: 'runbooks', label: 'Runbooks' },
  { screen: 'services', label: 'Services' },
  { screen: 'maintenance', label: 'Maintenance' },
  { screen: 'procedures', label: 'Procedures' },
  { screen: 'probes', label: 'Probes' },
  { screen: 'monitoring', label: 'Monitoring' },
  { screen: 'dashboard', label: 'Dashboard' },
  { screen: 'reports', label: 'Reports' },
  { screen: 'backups', label: 'Backups' },
  { screen: 'admin', label: 'Admin', adminOnly: true },
  { screen: 'settings', label: 'Settings' },
];
