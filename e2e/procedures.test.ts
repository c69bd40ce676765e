// Procedures end to end: a real backend, the browser host and Chromium. The data-loss emergency is
// started from the command palette at a level and worked step by step (a note, the evidence backup,
// a restore that waits for a second admin), then a daily checklist is ticked through with the
// app's own checks visible as auto-ticks. Screenshots: test-output/screenshots/procedures-*.png.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAndSignIn, createUser, screenshots, until } from './support';
import { ADMIN, closeSession, openSession, type Session } from './workstation/session';

let s: Session;
beforeAll(async () => {
  s = await openSession();
}, 120_000);
afterAll(() => closeSession(s));

const stepEl = (page: Page, key: string) => page.locator(`[data-testid="procedure-step"][data-key="${key}"]`);
const statusOf = (page: Page, key: string) => stepEl(page, key).getAttribute('data-status');
async function waitStatus(page: Page, key: string, want: RegExp, timeout = 60_000): Promise<string> {
  return until(
    async () => {
      const v = await statusOf(page, key);
      return v && want.test(v) ? v : null;
    },
    timeout,
    `step ${key} ${want}`,
  );
}

async function signIn({ page, backend, host }: Session): Promise<void> {
  await connectAndSignIn(page, host.host.openUrl, backend.url, ADMIN);
}

describe('procedures', () => {
  it('runs the data-loss procedure from the palette: a note, the evidence backup, a restore that waits for a second admin', async () => {
    await signIn(s);
    const { page, backend, admin } = s;
    // A backup from before the "loss", so the procedure has a last good one to offer.
    const before = await backend.api(
      'POST',
      '/api/v1/jobs',
      { runbook: 'backup-database', params: { kind: 'manual' } },
      admin.token,
    );
    await until(
      async () =>
        (await backend.api('GET', `/api/v1/jobs/${before.body.id}`, undefined, admin.token)).body.status ===
        'succeeded',
      60_000,
      'the first backup',
    );

    await s.go('Procedures');
    await page.getByRole('heading', { name: 'Emergency procedures' }).waitFor();
    await page.getByTestId('emergency-card').first().waitFor();
    await screenshots(page, 'procedures-overview');

    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: /Type a command/ }).fill('start data loss');
    await page.getByRole('option', { name: /Start procedure: Emergency: data loss/ }).waitFor();
    await page.getByRole('combobox', { name: /Type a command/ }).press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Level').selectOption('high');
    await expect.poll(() => dialog.textContent()).toMatch(/Respond within 1 hour:/);
    await screenshots(page, 'procedures-start-level');
    await dialog.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('heading', { name: 'Emergency: data loss' }).waitFor();
    expect(await page.getByTestId('due').textContent()).toMatch(/Due in/);
    expect(await page.getByTestId('escalation').textContent()).toMatch(
      /Escalation level 1: On-call engineer/,
    );
    expect(await stepEl(page, 'stop-operations').getAttribute('data-auto')).toBe('true');

    // Assess damage: a note, then the tick.
    await waitStatus(page, 'assess', /waiting/);
    await stepEl(page, 'assess')
      .getByLabel('Note on Assess damage')
      .fill('orders since 09:10 missing; nothing else');
    await stepEl(page, 'assess').getByRole('button', { name: 'Add note' }).click();
    await stepEl(page, 'assess').getByText('orders since 09:10 missing').waitFor();
    await stepEl(page, 'assess').getByRole('button', { name: 'Tick' }).click();
    // Notify and preserve evidence run by themselves (the backup is requested as Ada, who started the run).
    await waitStatus(page, 'preserve-evidence', /done/, 90_000);
    await waitStatus(page, 'last-good-backup', /waiting/);
    expect(await stepEl(page, 'last-good-backup').textContent()).toMatch(/candidate \S+/);
    await stepEl(page, 'last-good-backup').getByRole('button', { name: 'Tick' }).click();

    // The restore: typed confirmation, then it waits for a second admin; Bob rejects it (a drill).
    await waitStatus(page, 'restore', /waiting/);
    await stepEl(page, 'restore').getByRole('button', { name: 'Run restore-database…' }).click();
    await page.getByLabel(/Type .* to confirm/).fill('restore-database');
    await page.getByRole('dialog').getByRole('button', { name: 'Run restore-database' }).click();
    await waitStatus(page, 'restore', /running/);
    await screenshots(page, 'procedures-data-loss');
    const bob = await createUser(backend, {
      email: 'bob@example.com',
      password: 'quartz-lantern-velvet-43',
      name: 'Bob Admin',
      role: 'admin',
    });
    const jobs = await backend.api('GET', '/api/v1/jobs?status=awaiting_approval', undefined, bob.token);
    const restore = jobs.body.items.find((j: { runbook: string }) => j.runbook === 'restore-database');
    expect(restore.requestedByEmail).toBe(ADMIN.email);
    expect(
      (
        await backend.api(
          'POST',
          `/api/v1/jobs/${restore.id}/reject`,
          { reason: 'drill: nothing to restore' },
          bob.token,
        )
      ).status,
    ).toBe(200);
    await waitStatus(page, 'restore', /failed/);
    await stepEl(page, 'restore')
      .getByLabel('Note on Restore database')
      .fill('drill: restore rejected on purpose');
    await stepEl(page, 'restore').getByRole('button', { name: 'Skip' }).click();

    await until(
      async () =>
        (await statusOf(page, 'test-application')) !== 'pending' ||
        (await page.getByTestId('run-status').textContent()) === 'completed',
      90_000,
      'the integrity check',
    );
    if ((await statusOf(page, 'test-application')) === 'waiting')
      await stepEl(page, 'test-application').getByRole('button', { name: 'Tick' }).click();
    await expect
      .poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 })
      .toBe('completed');
    expect(await stepEl(page, 'restore').textContent()).toContain('drill: restore rejected on purpose');
    expect((await backend.api('GET', '/api/v1/maintenance/mode')).body.active).toBe(false);
  }, 300_000);

  it("ticks through a daily checklist: the app's checks show as auto-ticks, a person ticks the rest", async () => {
    const { page } = s;
    await s.go('Procedures');
    const row = page.getByRole('row').filter({ hasText: 'Daily tasks' });
    await row.getByRole('button', { name: 'Start now' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Start' }).click();
    await page.getByRole('heading', { name: 'Daily tasks' }).waitFor();
    // A backup ran minutes ago and no critical alert fires: both lines prove themselves.
    await until(
      async () => (await stepEl(page, 'backup').getAttribute('data-auto')) === 'true',
      30_000,
      'the backup auto-tick',
    );
    expect(await stepEl(page, 'alerts').getAttribute('data-auto')).toBe('true');
    await expect.poll(() => page.getByText('Auto-ticked').count()).toBeGreaterThanOrEqual(2);
    await screenshots(page, 'procedures-daily-checklist');

    await stepEl(page, 'performance')
      .getByLabel('Note on Review performance metrics')
      .fill('p95 420 ms on the dashboard');
    await stepEl(page, 'performance').getByRole('button', { name: 'Tick' }).click();
    await waitStatus(page, 'performance', /done/);
    for (const key of ['system-health', 'resources', 'error-logs']) {
      if ((await statusOf(page, key)) === 'waiting') {
        await stepEl(page, key).getByRole('button', { name: 'Tick' }).click();
        await waitStatus(page, key, /done/);
      }
    }
    await expect
      .poll(() => page.getByTestId('run-status').textContent(), { timeout: 30_000 })
      .toBe('completed');
    expect(await stepEl(page, 'performance').textContent()).toContain('p95 420 ms on the dashboard');
    expect(await page.getByTestId('run-progress').textContent()).toMatch(/6 of 6 done · [2-6] auto-ticked/);
    await screenshots(page, 'procedures-daily-done');

    await page.getByRole('button', { name: '← Procedures' }).click();
    const history = page.getByRole('table', { name: 'History' });
    await history.getByRole('row').filter({ hasText: 'Daily tasks' }).waitFor();
    await history.getByRole('row').filter({ hasText: 'Emergency: data loss' }).waitFor();
  }, 180_000);
});
