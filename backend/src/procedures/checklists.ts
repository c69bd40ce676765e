import type { ProcedureDefinition } from './definitions';
import type { CatalogueDeps } from './procedure-catalogue';
import { check, manual, runbookStep, stepChecks } from './step-kit';

const H = 3_600_000;

/**
 * Regular maintenance from both manuals (daily, weekly, monthly, quarterly), each created on its
 * schedule for its role. What a check can prove ticks itself; runbook steps are run by a person.
 */
export function checklists(d: CatalogueDeps): ProcedureDefinition[] {
  const c = stepChecks(d);
  const list = (id: string, title: string, description: string, assignedRole: 'oncall' | 'admin', schedule: string, steps: ProcedureDefinition['steps']): ProcedureDefinition => ({ id, title, description, category: 'checklist', assignedRole, levels: [], schedule, steps });
  return [
    list('daily-checklist', 'Daily tasks', 'Regular maintenance, daily (both manuals).', 'oncall', '0 8 * * *', () => [
      check('system-health', 'daily', 'Check system health', 'Health checks and services green.', c.checkHealth),
      check('alerts', 'daily', 'Review alerts and notifications', 'No open critical alerts; review the rest.', c.noCriticalAlerts),
      check('resources', 'daily', 'Monitor resource usage', 'CPU < 70 %, memory < 80 %, disk < 85 % (the warning thresholds), over the last 15 minutes.', c.resourcesUnderThresholds),
      check('backup', 'daily', 'Verify backup completion', 'A verified backup in the last 24 hours.', c.backupWithin(24 * H)),
      check('error-logs', 'daily', 'Check log files for errors', 'Fewer than 5 errors per hour over the last day.', c.errorLogCheck(24)),
      manual('performance', 'daily', 'Review performance metrics', 'p95 response time under 1 s (Dashboard).'),
    ]),
    list('weekly-checklist', 'Weekly tasks', 'Regular maintenance, weekly.', 'oncall', '0 8 * * 1', () => [
      manual('performance', 'weekly', 'Review performance metrics', 'Weekly trends: response time, error rate, throughput.'),
      runbookStep('vacuum', 'weekly', 'Database VACUUM ANALYZE', 'Run vacuum-analyze.', 'vacuum-analyze', () => ({}), { attended: true }),
      runbookStep('clean-logs', 'weekly', 'Clear old logs (> 30 days)', 'Run cleanup-logs with 30 days.', 'cleanup-logs', () => ({ olderThanDays: 30 }), { attended: true }),
      manual('dependencies', 'weekly', 'Update dependencies (security patches)', 'Apply security updates.'),
      check('restore-test', 'weekly', 'Test backup restoration', 'A backup verified in the last 7 days (run verify-backup).', c.backupWithin(7 * 24 * H)),
      manual('security-scan', 'weekly', 'Security scan', 'Run the vulnerability scan.'),
    ]),
    list('monthly-checklist', 'Monthly tasks', 'Regular maintenance, monthly.', 'admin', '0 8 1 * *', () => [
      runbookStep('full-backup', 'monthly', 'Full system backup', 'A full verified backup.', 'backup-database', () => ({ kind: 'manual' }), { attended: true }),
      manual('performance', 'monthly', 'Performance analysis & tuning', 'Slow queries, indexes, cache hit rate.'),
      manual('security', 'monthly', 'Security updates / full security scanning', 'Apply the month\'s security updates and run the full scan.'),
      manual('capacity', 'monthly', 'Capacity planning review', 'Disk, CPU, memory trends against the resource allocation table.'),
      runbookStep('dr-drill', 'monthly', 'Test restoration', 'The latest backup restored into a scratch database and verified against its manifest (test-restore).', 'test-restore', () => ({}), { attended: true }),
    ]),
    list('quarterly-checklist', 'Quarterly tasks', 'Regular maintenance, quarterly.', 'admin', '0 8 1 1,4,7,10 *', () => [
      manual('upgrades', 'quarterly', 'Major version upgrades', 'Plan and apply the quarter\'s major upgrades in a maintenance window.'),
      manual('infrastructure', 'quarterly', 'Infrastructure assessment', 'Hosts, storage and network against the resource allocation table.'),
      manual('security-audit', 'quarterly', 'Security audit (penetration testing)', 'The quarterly security test.'),
      manual('cost', 'quarterly', 'Cost optimization review', 'Right-size what runs idle.'),
      manual('docs', 'quarterly', 'Review the operations documentation', 'The manual is reviewed quarterly.'),
    ]),
  ];
}
