import { expect } from 'vitest';
import { screenshots, until } from '../support';
import type { Session } from './session';

/** Shows a fired alert live and acknowledges it. */
export async function alertLiveAndAck({ page, backend, admin, go }: Session): Promise<void> {
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
}

/** A notification click opens the alert (the server pages the signed-in admin through a policy naming her). */
export async function notificationClick({ page, backend, admin, invoke, go }: Session): Promise<void> {
  await go('Queues');
  const policy = await backend.api(
    'POST',
    '/api/v1/escalation-policies',
    { name: 'Pages Ada', match: { pages: 'ada' }, levels: [{ name: 'Ada', afterMinutes: 0, userIds: [admin.id] }] },
    admin.token,
  );
  expect(policy.status).toBe(201);
  const fired = await backend.api(
    'POST',
    '/api/v1/alerts',
    {
      name: 'db_down',
      severity: 'critical',
      summary: 'Primary database is down',
      labels: { host: 'db-1', pages: 'ada' },
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
  // The policy was for this step only: later steps edit the default policy.
  expect((await backend.api('DELETE', `/api/v1/escalation-policies/${policy.body.id}`, undefined, admin.token)).status).toBe(204);
}

/** The dashboard draws its charts and the command palette reaches screens and actions. */
export async function dashboardAndPalette({ page }: Session): Promise<void> {
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
}

/** Creates an incident from an alert and walks it through its states to a review. */
export async function incidentWorkflow({ page, backend, admin, go }: Session): Promise<void> {
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
}
