// The workstation UI end to end: a real backend, the browser host serving the built renderer, and
// Chromium. One sequence (first run → tickets → offline → alerts → jobs → maintenance → restore),
// because each step builds on the state the previous one left, as a person's session would. The
// steps' bodies are in e2e/workstation/, by area.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { firstRun, worksTicket, editsOffline, sameFieldConflict } from './workstation/helpdesk';
import { alertLiveAndAck, notificationClick, dashboardAndPalette, incidentWorkflow } from './workstation/oncall';
import { oncallSchedules } from './workstation/oncall-schedules';
import { backupWithLiveLog, maintenanceWizard, restoreBackup } from './workstation/operations';
import { closeMailServers, emailLoop } from './workstation/mail';
import { probeKeywordFlips } from './workstation/probes';
import { otherScreens, mfaSignIn } from './workstation/screens';
import { apiTokenAndKeychainNotice } from './workstation/security';
import { closeSession, openSession, type Session } from './workstation/session';

let s: Session;
beforeAll(async () => {
  s = await openSession();
}, 120_000);
afterAll(async () => {
  await closeSession(s);
  await closeMailServers();
});

// The steps build on each other: after the first failure the rest are skipped, not timed out.
let broken = false;
function step(name: string, fn: (s: Session) => Promise<void>, timeout: number): void {
  it(
    name,
    async (ctx) => {
      if (broken) ctx.skip();
      try {
        await fn(s);
      } catch (e) {
        broken = true;
        await s?.page
          .screenshot({ path: `test-output/failure-${name.replace(/\W+/g, '-').slice(0, 60)}.png` })
          .catch((err: unknown) => console.error('failure screenshot:', err));
        throw e;
      }
    },
    timeout,
  );
}

describe('workstation UI', () => {
  step('first run connects to a server, shows clear errors, and signs in', firstRun, 60_000);
  step('lists the synced queue and works a ticket: reply, assign, resolve, seen on the server', worksTicket, 90_000);
  step('edits offline, marks the edit pending, and syncs it when the server is back', editsOffline, 90_000);
  step('a same-field conflict opens the dialog with both values; keep mine wins on the server', sameFieldConflict, 90_000);
  step('shows a fired alert live and acknowledges it', alertLiveAndAck, 60_000);
  step('a notification click opens the alert', notificationClick, 60_000);
  step('the dashboard draws its charts and the command palette reaches screens and actions', dashboardAndPalette, 60_000);
  step('runs backup-database and follows its live log to success', backupWithLiveLog, 90_000);
  step('runs the maintenance wizard end to end', maintenanceWizard, 120_000);
  step('restores a backup after the typed confirmation', restoreBackup, 120_000);
  step('creates an incident from an alert and walks it through its states to a review', incidentWorkflow, 60_000);
  step('builds a weekly rotation with an override, sees it in the calendar, the status bar and the policy preview', oncallSchedules, 90_000);
  step('adds an HTTP keyword probe, sees it up, then down with its alert when the keyword goes', probeKeywordFlips, 90_000);
  step('every other main screen renders (screenshots in light and dark)', otherScreens, 60_000);
  step('an admin issues an API token with the default 90-day lifetime and sees its expiry and last use; Settings shows where tokens are kept', apiTokenAndKeychainNotice, 60_000);
  step('email loop: a mailbox set up and tested, an email becomes a ticket live, a ticket from the form, the reply reaches Dovecot threaded, the answer reopens it; notes never leave', emailLoop, 180_000);
  // Last: it leaves the session signed in as an agent.
  step('signs in with the MFA step, with a clear error for a wrong code', mfaSignIn, 60_000);
});
