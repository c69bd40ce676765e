import type { ProcedureDefinition } from './definitions';
import type { CatalogueDeps } from './procedure-catalogue';
import { INCIDENT_LEVELS, SECURITY_LEVELS, severityOfLevel } from './procedure-levels';
import { action, check, fail, manual, ok, runbookStep, stepChecks } from './step-kit';

/** Operational documentation, Emergency Procedures (system outage, data loss) and Security Procedures → Incident Response. */
export function emergencyProcedures(d: CatalogueDeps): ProcedureDefinition[] {
  const { ctx } = d;
  const { checkHealth } = stepChecks(d);
  /** Operations manual, Incident Response Workflow → Acknowledge: declare the incident, the starter its commander. */
  const declareIncident = (title: string) =>
    action('declare-incident', 'immediate', 'Declare the incident', 'Opens an incident at the run\'s level with the person who started it as commander (Incidents).', async (c) => {
      const incident = await ctx.incidents.create({ id: c.startedBy, email: `procedure ${c.runId}`, ip: null }, { title, description: `Opened by the ${title} procedure (run ${c.runId}).`, severity: severityOfLevel(c.level), commanderId: c.startedBy ?? undefined, alertIds: [], ticketIds: [] });
      return ok(`incident opened (${incident.severity}): ${incident.id}`, { state: { incidentId: incident.id } });
    });

  const outage: ProcedureDefinition = {
    id: 'system-outage',
    title: 'Emergency: system outage',
    description: 'Operational documentation, Emergency Procedures → System Outage: immediate response, then recovery. Severity and response time as the operations manual classifies incidents.',
    category: 'emergency',
    assignedRole: 'oncall',
    levels: INCIDENT_LEVELS,
    schedule: null,
    steps: () => [
      declareIncident('System outage'),
      check('assess', 'immediate', 'Assess impact', 'Determine the scope of the outage: which checks and services are down.', checkHealth, 'wait'),
      action('notify', 'immediate', 'Notify stakeholders', 'Alert relevant teams.', async () => {
        const r = await d.integrations.announce('emergency.outage', 'System outage', 'An outage is being handled; updates follow.', {});
        return ok(`announced live; email: ${r.emails}`);
      }),
      manual('isolate', 'immediate', 'Isolate issues', 'Identify the root cause: logs, metrics, recent changes.'),
      manual('fix', 'immediate', 'Implement fix', 'Apply a temporary solution (restart, scale, rollback) from the runbooks.'),
      check('monitor', 'immediate', 'Monitor recovery', 'Verify system stability: health green and services healthy.', checkHealth, 'wait'),
      manual('stop-services', 'recovery', 'Stop services (if restoring)', 'Graceful shutdown before a restore; skip when the fix held.'),
      manual('restore', 'recovery', 'Restore from backup (if needed)', 'Latest known good state: run restore-database from the runbooks; skip when not needed.'),
      runbookStep('verify-integrity', 'recovery', 'Verify data integrity', 'Run the health checks (database consistency included).', 'run-health-checks', () => ({})),
      action('restart-services', 'recovery', 'Restart services in order', 'Start services in dependency order, waiting on each health check.', async () => {
        await d.services.startAll();
        return ok(`started in order: ${d.services.startOrder().map((s) => s.name).join(' → ') || 'no services declared'}`);
      }),
      check('test', 'recovery', 'Test functionality', 'Verify all systems operational.', checkHealth, 'wait'),
    ],
  };

  const dataLoss: ProcedureDefinition = {
    id: 'data-loss',
    title: 'Emergency: data loss',
    description: 'Operational documentation, Emergency Procedures → Data Loss: stop operations, preserve evidence, restore the last good backup (approved as every restore is), roll service back out.',
    category: 'emergency',
    assignedRole: 'admin',
    levels: INCIDENT_LEVELS,
    schedule: null,
    steps: (raw) => {
      const backupId = typeof raw.backupId === 'string' ? raw.backupId : null;
      return [
        action('stop-operations', 'immediate', 'Stop all operations', 'Prevent further data loss: the API refuses writes (maintenance mode).', async () => {
          await ctx.maintenance.enter('data-loss procedure in progress');
          return ok('maintenance mode on: writes refused with 503');
        }),
        manual('assess', 'immediate', 'Assess damage', 'Determine the scope of loss: which records, since when.'),
        action('notify', 'immediate', 'Notify management', 'Alert decision makers.', async () => {
          const r = await d.integrations.announce('emergency.data_loss', 'Data loss incident', 'A data-loss incident is being handled; writes are paused.', {});
          return ok(`announced live; email: ${r.emails}`);
        }),
        runbookStep('preserve-evidence', 'immediate', 'Preserve evidence', 'Back up the current state before anything changes.', 'backup-database', () => ({ kind: 'manual' }), { onJobResult: (r) => ({ evidenceBackupId: (r as { backupId?: string }).backupId }) }),
        check('last-good-backup', 'recovery', 'Identify last good backup', 'Find the most recent clean backup (verified, before the loss), then confirm it.', async (c) => {
          const evidence = c.state.evidenceBackupId;
          const list = (await d.backups.list(50, 'ok')).filter((b) => b.kind !== 'safety' && b.id !== evidence);
          const chosen = backupId ?? list[0]?.id ?? null;
          return chosen ? fail(`candidate ${chosen}; others: ${list.slice(1, 5).map((b) => `${b.id} (${new Date(b.createdAt).toISOString()})`).join(', ') || 'none'}; confirm the one to restore`, { state: { candidate: chosen } }) : fail('no successful backup found before the evidence backup');
        }, 'wait'),
        runbookStep('restore', 'recovery', 'Restore database', 'Run restore-database with the confirmed backup: type its name; it then waits for approval as every restore does. Skip when nothing must be restored.', 'restore-database', (c) => (typeof c.state.candidate === 'string' ? { backupId: c.state.candidate } : null), { attended: true, confirm: true }),
        runbookStep('verify-integrity', 'recovery', 'Verify data integrity', 'Health checks, database consistency.', 'run-health-checks', () => ({})),
        check('test-application', 'recovery', 'Test application', 'Verify functionality.', checkHealth, 'wait'),
        action('gradual-rollout', 'recovery', 'Gradual rollout', 'Restore service: leave maintenance mode so writes are accepted again.', async () => {
          await ctx.maintenance.leave();
          return ok('maintenance mode off: writes accepted');
        }),
      ];
    },
  };

  const security: ProcedureDefinition = {
    id: 'security-incident',
    title: 'Emergency: security incident',
    description: 'Operational documentation, Security Procedures → Incident Response: isolate, assess, contain, recover, learn. Classified Level 1 (low impact) to Level 4 (system compromise).',
    category: 'emergency',
    assignedRole: 'admin',
    levels: SECURITY_LEVELS,
    schedule: null,
    steps: () => [
      declareIncident('Security incident'),
      action('notify-security', 'immediate', 'Notify the security team', 'Every admin is told (desktop and email).', async (c) => {
        const level = SECURITY_LEVELS.find((l) => l.id === c.level)?.label ?? 'unclassified';
        const n = await d.notices.toRole('admin', { subject: `Security incident: ${level}`, text: `A security incident (${level}) is being handled in OpsDesk. Run ${c.runId}.` });
        return ok(`${n} admin(s) notified`);
      }),
      manual('isolate', 'immediate', 'Isolate affected systems', 'Take affected hosts or accounts off the network; disable compromised users and API tokens (Admin).'),
      check('assess', 'assessment', 'Determine scope and impact', 'What was reached, which data was exposed; confirm or change the level. The check lists open critical alerts and health.', checkHealth, 'wait'),
      manual('contain', 'containment', 'Prevent further damage', 'Rotate credentials and secrets, revoke sessions, block the entry point.'),
      check('recover', 'recovery', 'Restore normal operations', 'Services back, health green.', checkHealth, 'wait'),
      manual('post-incident', 'post-incident', 'Document and improve', 'Write the review: timeline, cause, what changes. Link it in a note here.'),
    ],
  };

  return [outage, dataLoss, security];
}
