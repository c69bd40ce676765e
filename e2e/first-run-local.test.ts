// First run of a local workspace: the browser host with no profile, the UI creates the admin
// account, the core starts the embedded backend, and the user lands signed in.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium, screenshots, startBrowserHost, type Host } from './support';

let host: Host;
let browser: Browser;

beforeAll(async () => {
  host = await startBrowserHost();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

it('creates a local workspace with an admin password and signs in', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1360, height: 860 } })).newPage();
  await page.goto(host.host.openUrl);
  await page.getByRole('heading', { name: 'Welcome to OpsDesk' }).waitFor();
  await page.getByLabel('Your name').fill('Lin Local');
  await page.getByLabel('Admin email').fill('lin@example.com');
  await page.getByLabel('Admin password').fill('short');
  await page.getByLabel('Repeat password').fill('shorter');
  // Inline validation before anything is sent.
  await page.locator('.field-error', { hasText: 'At least 12 characters.' }).waitFor();
  await page.getByText('The passwords differ.').waitFor();
  await page.getByLabel('Admin password').fill('cobalt-orchard-ribbon-31');
  await page.getByLabel('Repeat password').fill('cobalt-orchard-ribbon-31');
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor({ timeout: 90_000 });
  await expect.poll(() => page.locator('footer').textContent(), { timeout: 30_000 }).toContain('Lin Local');
  await expect
    .poll(() => page.getByTestId('online-state').textContent(), { timeout: 30_000 })
    .toContain('Online');
  // The workspace is usable at once: the (empty) queue loads without an error and sync is healthy.
  await expect
    .poll(() => page.getByTestId('ticket-total').textContent(), { timeout: 30_000 })
    .toBe('0 tickets');
  expect(await page.locator('.alert-box.error').count()).toBe(0);
  await expect
    .poll(() => page.getByTestId('sync-state').textContent(), { timeout: 30_000 })
    .not.toContain('error');
  const profiles = (await page.evaluate(() => (window as any).opsdesk.invoke('profiles.list'))) as any;
  expect(profiles.value.profiles).toEqual([expect.objectContaining({ kind: 'local' })]);
  await screenshots(page, '00-local-workspace-ready');
}, 150_000);
