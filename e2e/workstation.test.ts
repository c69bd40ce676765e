// The workstation UI end to end: a real backend, the browser host serving the built renderer, and
// Chromium. One sequence (first run → tickets → offline → alerts → jobs → maintenance → restore),
// because each step builds on the state the previous one left, as a person's session would.
import type { BrowserContext, Page, Browser } from 'playwright-core';
import { authenticator } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTickets } from '../backend/src/tickets/seed-tickets';
import {
  createUser,
  launchChromium,
  screenshots,
  startBackend,
  startBrowserHost,
  until,
  type Backend,
  type Host,
} from './support';

const ADMIN = {
  email: 'ada@example.com',
  password: 'quartz-lantern-velvet-42',
  name: 'Ada Admin',
  role: 'admin' as const,
};

let backend: Backend;
let admin: { id: string; token: string };
let host: Host;
let browser: Browser;
let context: BrowserContext;
let page: Page;

const invoke = (channel: string, payload?: unknown) =>
  page.evaluate(([c, p]) => (window as any).opsdesk.invoke(c, p), [channel, payload] as const);
const go = async (label: string) => {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: label, exact: false })
    .first()
    .click();
};

beforeAll(async () => {
  backend = await startBackend();
  admin = await createUser(backend, ADMIN);
  await seedTickets(backend.server.services, { tickets: 150, log: () => undefined });
  host = await startBrowserHost();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
  await context.grantPermissions(['notifications'], { origin: host.host.url });
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await backend?.stop().catch(() => undefined);
});

// The steps build on each other: after the first failure the rest are skipped, not timed out.
let broken = false;
function step(name: string, fn: () => Promise<void>, timeout: number): void {
  it(
    name,
    async (ctx) => {
      if (broken) ctx.skip();
      try {
        await fn();
      } catch (e) {
        broken = true;
        await page
          ?.screenshot({ path: `test-output/failure-${name.replace(/\W+/g, '-').slice(0, 60)}.png` })
          .catch(() => undefined);
        throw e;
      }
    },
    timeout,
  );
}

describe('workstation UI', () => {
  step(
    'first run connects to a server, shows clear errors, and signs in',
    async () => {
      await page.goto(host.host.openUrl);
      await page.getByRole('heading', { name: 'Welcome to OpsDesk' }).waitFor();
      await screenshots(page, '01-first-run');
      await page.getByRole('button', { name: /Connect to a server/ }).click();
      const url = page.getByLabel('Server URL');
      await url.fill('http://127.0.0.1:9');
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await expect
        .poll(() => page.getByRole('alert').textContent(), { timeout: 20_000 })
        .toMatch(/cannot be reached|not like an OpsDesk server/);

      await url.fill(backend.url);
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await page.getByRole('heading', { name: 'Sign in to OpsDesk' }).waitFor();
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByLabel('Password').fill('not-the-password-1');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('Wrong email or password.');
      await screenshots(page, '02-login-error');

      await page.getByLabel('Password').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      await expect
        .poll(() => page.getByTestId('online-state').textContent(), { timeout: 15_000 })
        .toContain('Online');
    },
    60_000,
  );

  step(
    'lists the synced queue and works a ticket: reply, assign, resolve, seen on the server',
    async () => {
      await expect
        .poll(() => page.getByTestId('ticket-total').textContent(), { timeout: 30_000 })
        .toBe('150 tickets');
      await page.locator('.grid-row[data-number]').first().waitFor();
      await screenshots(page, '03-queues');
      // The keychain fallback notice (no Secret Service here) is shown once; dismiss it as a user would.
      const dismiss = page.getByRole('button', { name: 'Dismiss' });
      if (await dismiss.count()) await dismiss.first().click();

      // Keyboard: j moves, Enter opens.
      await page.getByTestId('ticket-list').focus();
      await page.keyboard.press('j');
      const number = await page.locator('.grid-row[aria-selected="true"]').getAttribute('data-number');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: new RegExp(`#${number}`) }).waitFor();

      await page.getByPlaceholder('Reply to the requester…').fill('Thanks, we are on it.');
      await page.getByRole('button', { name: 'Send reply' }).click();
      await page.getByTestId('public-reply').filter({ hasText: 'Thanks, we are on it.' }).waitFor();
      await page.getByLabel('Internal note').check();
      await page.getByPlaceholder(/Internal note/).fill('Checked the logs; printer driver.');
      await page.getByRole('button', { name: 'Add note' }).click();
      await page.getByTestId('internal-note').filter({ hasText: 'printer driver' }).waitFor();
      // Assign: to nobody first (seeded tickets may already be Ada's), then to me.
      await page.getByLabel(/^Assignee/).selectOption('');
      await page.getByRole('button', { name: 'Assign to me' }).click();
      await page.getByRole('button', { name: 'Resolve' }).click();
      await screenshots(page, '04-ticket-detail');

      const ticket = (await invoke('tickets.get', { number: Number(number) })) as any;
      const id = ticket.value.ticket.id as string;
      const server = await until(
        async () => {
          const t = await backend.api('GET', `/api/v1/tickets/${id}`, undefined, admin.token);
          return t.body?.status === 'resolved' && t.body?.assigneeId === admin.id ? t.body : null;
        },
        20_000,
        'the ticket to be resolved and assigned on the server',
      );
      expect(server.status).toBe('resolved');
      const comments = await backend.api('GET', `/api/v1/tickets/${id}/comments`, undefined, admin.token);
      const list = (Array.isArray(comments.body) ? comments.body : comments.body.items) as {
        body: string;
        visibility: string;
      }[];
      expect(list).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ body: 'Thanks, we are on it.', visibility: 'public' }),
          expect.objectContaining({ body: 'Checked the logs; printer driver.', visibility: 'internal' }),
        ]),
      );
    },
    90_000,
  );

  step(
    'edits offline, marks the edit pending, and syncs it when the server is back',
    async () => {
      await page.keyboard.press('Escape');
      await page.locator('.grid-row[data-number]').nth(3).waitFor();
      const number = Number(await page.locator('.grid-row[data-number]').nth(3).getAttribute('data-number'));
      const id = ((await invoke('tickets.get', { number })) as any).value.ticket.id as string;

      await backend.stop();
      await invoke('sync.now');
      await expect
        .poll(() => page.getByTestId('online-state').textContent(), { timeout: 20_000 })
        .toContain('Offline');

      await page.locator(`.grid-row[data-number="${number}"]`).dblclick();
      await page.getByLabel(/^Priority/).selectOption('critical');
      await page.getByTestId('pending-badge').waitFor();
      await expect.poll(() => page.getByTestId('outbox-button').textContent()).toMatch(/[1-9]\d* pending/);
      await page.getByTestId('outbox-button').click();
      await page.getByTestId('outbox-item').first().waitFor();
      await screenshots(page, '05-outbox-offline');
      await page.getByRole('button', { name: 'Close' }).click();

      await backend.start();
      await invoke('sync.now');
      await expect
        .poll(() => page.getByTestId('outbox-button').textContent(), { timeout: 30_000 })
        .toContain('Outbox empty');
      await page.getByTestId('pending-badge').waitFor({ state: 'detached', timeout: 15_000 });
      const server = await backend.api('GET', `/api/v1/tickets/${id}`, undefined, admin.token);
      expect(server.body.priority).toBe('critical');
    },
    90_000,
  );

  step(
    'a same-field conflict opens the dialog with both values; keep mine wins on the server',
    async () => {
      // We are on the ticket edited above (priority critical, synced). Go offline, change the
      // priority here, and change the same field on the server before this client replays.
      const number = Number((await page.evaluate(() => location.hash)).split('/')[2]);
      const id = ((await invoke('tickets.get', { number })) as any).value.ticket.id as string;
      await backend.stop();
      await invoke('sync.now');
      await expect
        .poll(() => page.getByTestId('online-state').textContent(), { timeout: 20_000 })
        .toContain('Offline');
      await page.getByRole('combobox', { name: /^Priority/ }).selectOption('low');
      await page.getByTestId('pending-badge').waitFor();

      await backend.behindTheAppsBack(async (api) => {
        const current = (await api('GET', `/api/v1/tickets/${id}`, undefined, admin.token)).body;
        const theirs = await api(
          'PATCH',
          `/api/v1/tickets/${id}`,
          { priority: 'high', version: current.version },
          admin.token,
        );
        expect(theirs.status, JSON.stringify(theirs.body)).toBe(200);
      });
      await backend.start();
      await invoke('sync.now');
      const dialog = page.getByRole('dialog', { name: 'Conflicting change' });
      await dialog.waitFor({ timeout: 30_000 });
      await expect.poll(() => dialog.textContent()).toMatch(/Priority.*low.*high/i);
      await screenshots(page, '05b-conflict');
      await dialog.getByRole('button', { name: 'Keep mine' }).click();
      await until(
        async () =>
          (await backend.api('GET', `/api/v1/tickets/${id}`, undefined, admin.token)).body?.priority ===
          'low',
        20_000,
        'my value to win on the server',
      );
      await dialog.waitFor({ state: 'detached', timeout: 15_000 });
    },
    90_000,
  );

  step(
    'shows a fired alert live and acknowledges it',
    async () => {
      await go('Alerts');
      await page.getByRole('heading', { name: 'Alerts' }).waitFor();
      const fired = await backend.api(
        'POST',
        '/api/v1/alerts',
        {
          name: 'disk_full',
          severity: 'high',
          summary: 'Disk /var above 95 %',
          labels: { host: 'web-1', service: 'api' },
        },
        admin.token,
      );
      expect(fired.status).toBe(201);
      const card = page.locator(`[data-alert-id="${fired.body.id}"]`);
      await card.waitFor({ timeout: 15_000 });
      await screenshots(page, '06-alerts');
      await card.getByRole('button', { name: 'Silence…' }).click();
      await expect(page.getByRole('dialog').locator('input.mono').first().inputValue()).resolves.toBeTruthy();
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
      await card.getByRole('button', { name: 'Acknowledge' }).click();
      await until(
        async () =>
          (await backend.api('GET', `/api/v1/alerts/${fired.body.id}`, undefined, admin.token)).body
            ?.status === 'acknowledged',
        15_000,
        'the alert to be acknowledged on the server',
      );
      await expect.poll(() => card.getAttribute('data-status')).toBe('acknowledged');
    },
    60_000,
  );

  step(
    'a notification click opens the alert',
    async () => {
      await go('Queues');
      const fired = await backend.api(
        'POST',
        '/api/v1/alerts',
        {
          name: 'db_down',
          severity: 'critical',
          summary: 'Primary database is down',
          labels: { host: 'db-1' },
        },
        admin.token,
      );
      const shown = await until(
        async () => {
          const list = (await page.evaluate(() => (window as any).__opsdeskNotifications)) as {
            id: string;
            alertId: string | null;
            alertIds: string[];
          }[];
          return list.find((n) => n.alertId === fired.body.id || n.alertIds.includes(fired.body.id));
        },
        15_000,
        'the popup',
      );
      // What the Web Notification's click handler does (a headless browser has no popup to click).
      await invoke('notifications.clicked', { notificationId: shown.id });
      await page.waitForFunction((id) => location.hash === `#/alerts/${id}`, fired.body.id);
      await page.locator(`.alert-card.focused[data-alert-id="${fired.body.id}"]`).waitFor();
    },
    60_000,
  );

  step(
    'the dashboard draws its charts and the command palette reaches screens and actions',
    async () => {
      await page.keyboard.press('Control+k');
      const palette = page.getByRole('combobox');
      await palette.fill('dashboard');
      await screenshots(page, '07-command-palette');
      await palette.press('Enter');
      await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
      await expect
        .poll(() => page.getByTestId('chart').count(), { timeout: 20_000 })
        .toBeGreaterThanOrEqual(6);
      await page.waitForTimeout(300);
      await screenshots(page, '08-dashboard');

      await page.keyboard.press('Control+k');
      await palette.fill('#1');
      await palette.press('Enter');
      await page.getByRole('heading', { name: /#1\b/ }).waitFor();
    },
    60_000,
  );

  step(
    'runs backup-database and follows its live log to success',
    async () => {
      await go('Backups');
      await page.getByRole('heading', { name: 'Backups' }).waitFor();
      await page.getByRole('button', { name: 'Back up now' }).click();
      await page.getByRole('log', { name: 'Job log' }).waitFor();
      await expect
        .poll(() => page.getByTestId('job-status').first().textContent(), { timeout: 60_000 })
        .toBe('Succeeded');
      await expect
        .poll(async () => Number((await page.getByTestId('log-count').textContent())!.replace(/\D/g, '')))
        .toBeGreaterThan(0);
      await screenshots(page, '09-job-console');
    },
    90_000,
  );

  step(
    'runs the maintenance wizard end to end',
    async () => {
      await go('Maintenance');
      await page.getByRole('button', { name: 'Schedule maintenance' }).click();
      await page.getByLabel('Title').fill('E2E patch window');
      await page.getByLabel('Announcement').fill('Patching the API hosts.');
      await screenshots(page, '10-maintenance-schedule');
      await page.getByRole('button', { name: 'Schedule', exact: true }).click();
      const row = page.getByRole('row').filter({ hasText: 'E2E patch window' });
      await row.waitFor();
      await screenshots(page, '11-maintenance');
      await row.getByRole('button', { name: 'Start wizard…' }).click();
      await page.getByLabel(/Watch after maintenance/).fill('0');
      await page.getByRole('dialog').getByRole('button', { name: 'Start' }).click();
      await page.getByRole('progressbar', { name: 'Wizard progress' }).waitFor();
      const deadline = Date.now() + 90_000;
      for (;;) {
        const status = await page.getByTestId('run-status').textContent();
        if (status === 'completed' || status === 'failed' || status === 'aborted') break;
        // Checklist steps that wait for a person are confirmed, as the operator would.
        const done = page.getByRole('button', { name: 'Mark done' });
        if (await done.count())
          await done
            .first()
            .click()
            .catch(() => undefined);
        if (Date.now() > deadline) throw new Error(`wizard still ${status}`);
        await page.waitForTimeout(500);
      }
      await screenshots(page, '12-maintenance-wizard');
      const steps = await page
        .getByTestId('wizard-step')
        .evaluateAll((els) =>
          els.map((e) => `${e.querySelector('strong')?.textContent}: ${e.getAttribute('data-status')}`),
        );
      expect(await page.getByTestId('run-status').textContent(), steps.join('\n')).toBe('completed');

      // Cancelling a window asks for its title first.
      await page.getByRole('button', { name: '← Maintenance' }).click();
      const windowRow = page.getByRole('row').filter({ hasText: 'E2E patch window' });
      await windowRow.getByRole('button', { name: 'Cancel window' }).click();
      await page.getByLabel(/Type .* to confirm/).fill('E2E patch window');
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel window' }).click();
      await windowRow.waitFor({ state: 'detached', timeout: 15_000 });
    },
    120_000,
  );

  step(
    'restores a backup after the typed confirmation',
    async () => {
      await go('Backups');
      const row = page.getByTestId('backup-row').first();
      await row.waitFor();
      const backupId = (await row.getAttribute('data-backup-id'))!;
      await row.getByRole('button', { name: 'Restore…' }).click();
      const confirm = page.getByRole('button', { name: 'Restore', exact: true });
      expect(await confirm.isDisabled()).toBe(true);
      await page.getByLabel(/Type .* to confirm/).fill(backupId);
      await screenshots(page, '13-restore-confirm');
      await confirm.click();
      await page.getByRole('log', { name: 'Job log' }).waitFor();
      // Restores need a second admin's approval (four eyes): Bob approves it from his own session.
      await expect
        .poll(() => page.getByTestId('job-status').first().textContent(), { timeout: 15_000 })
        .toBe('Awaiting approval');
      await page.getByText('waits for another admin').waitFor();
      const jobId = decodeURIComponent((await page.evaluate(() => location.hash)).split('/')[2]!);
      const bob = await createUser(backend, {
        email: 'bob@example.com',
        password: 'granite-harbor-comet-77',
        name: 'Bob Admin',
        role: 'admin',
      });
      expect((await backend.api('POST', `/api/v1/jobs/${jobId}/approve`, {}, bob.token)).status).toBe(200);
      await expect
        .poll(() => page.getByTestId('job-status').first().textContent(), { timeout: 90_000 })
        .toMatch(/^(Succeeded|Failed)$/);
      await screenshots(page, '14-restore-result');
      const job = (await backend.api('GET', `/api/v1/jobs/${jobId}`, undefined, admin.token)).body;
      expect(job.status, job.reason ?? job.summary).toBe('succeeded');
      expect(await page.getByTestId('job-status').first().textContent()).toBe('Succeeded');
    },
    120_000,
  );

  step(
    'creates an incident from an alert and walks it through its states to a review',
    async () => {
      await go('Alerts');
      const card = page.getByTestId('alert-card').filter({ hasText: 'Primary database is down' });
      await card.getByRole('button', { name: 'Create incident' }).click();
      await page.getByRole('group', { name: 'Workflow' }).waitFor();
      const id = decodeURIComponent((await page.evaluate(() => location.hash)).split('/')[2]!);
      for (const label of ['Acknowledge', 'Start diagnosis', 'Start mitigation', 'Resolve']) {
        // Only the next state in the manual's order is offered.
        await page.getByRole('group', { name: 'Workflow' }).getByRole('button', { name: label }).click();
        await page
          .getByRole('group', { name: 'Workflow' })
          .getByRole('button', { name: new RegExp(`● `) })
          .filter({ hasNotText: 'Detected' })
          .first()
          .waitFor();
      }
      await page.getByLabel('Add a note').fill('Failover to the replica done.');
      await page.getByRole('button', { name: 'Add note' }).click();
      await page.getByText('Failover to the replica done.').first().waitFor();
      await page.getByLabel('Root cause').fill('Disk full on the primary.');
      await page.getByRole('button', { name: 'Save review' }).click();
      await screenshots(page, '20-incident');
      const inc = await until(
        async () => {
          const r = (await backend.api('GET', `/api/v1/incidents/${id}`, undefined, admin.token)).body;
          return r?.state === 'resolved' && r?.rootCause === 'Disk full on the primary.' ? r : null;
        },
        15_000,
        'the incident to be resolved with its review on the server',
      );
      expect(inc.links).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'alert' })]));
    },
    60_000,
  );

  step(
    'every other main screen renders (screenshots in light and dark)',
    async () => {
      for (const [label, heading, name] of [
        ['Incidents', 'Incidents', '15-incidents'],
        ['Runbooks', 'Runbooks', '16-runbooks'],
        ['Admin', 'Admin', '17-admin'],
        ['Settings', 'Settings', '18-settings'],
      ] as const) {
        await go(label);
        await page.getByRole('heading', { name: heading, exact: true }).waitFor();
        await page.waitForTimeout(400);
        await screenshots(page, name);
      }
    },
    60_000,
  );

  step(
    'signs in with the MFA step, with a clear error for a wrong code',
    async () => {
      const mia = await createUser(backend, {
        email: 'mia@example.com',
        password: 'meadow-signal-copper-58',
        name: 'Mia Agent',
        role: 'agent',
      });
      const enrol = await backend.api<{ secret: string }>('POST', '/api/v1/me/mfa/enrol', {}, mia.token);
      const code = (offsetSteps: number) =>
        authenticator.clone({ epoch: Date.now() + offsetSteps * 30_000 }).generate(enrol.body.secret);
      expect(
        (await backend.api('POST', '/api/v1/me/mfa/confirm', { code: code(-1) }, mia.token)).status,
      ).toBe(200);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in to OpsDesk' }).waitFor();
      await page.getByLabel('Email').fill('mia@example.com');
      await page.getByLabel('Password').fill('meadow-signal-copper-58');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
      await page.getByLabel('Authentication code').fill('000000');
      await page.getByRole('button', { name: 'Verify' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('That code is not valid.');
      await screenshots(page, '19-mfa-step');
      await page.getByLabel('Authentication code').fill(code(0));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      await expect.poll(() => page.locator('footer').textContent()).toContain('Mia Agent');
      // Agents have no Admin screen.
      expect(
        await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Admin' }).count(),
      ).toBe(0);
    },
    60_000,
  );
});
