import { expect } from 'vitest';
import { createUser, screenshots } from '../support';
import type { Session } from './session';

/** Runs backup-database and follows its live log to success. */
export async function backupWithLiveLog({ page, go }: Session): Promise<void> {
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
}

/** Runs the maintenance wizard end to end. */
export async function maintenanceWizard({ page, go }: Session): Promise<void> {
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
}

/** Restores a backup after the typed confirmation. */
export async function restoreBackup({ page, backend, admin, go }: Session): Promise<void> {
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
  await page.getByText('waits for approval').waitFor();
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
}
