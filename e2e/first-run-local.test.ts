// First run of a local workspace: the browser host with no profile, the UI creates the admin
// account, the core starts the embedded backend, and the user lands signed in.
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parse } from 'yaml';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium, screenshots, startBrowserHost, tempDir, type Host } from './support';

let host: Host;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  host = await startBrowserHost();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

it('creates a local workspace with an admin password and signs in', async () => {
  page = await (await browser.newContext({ viewport: { width: 1360, height: 860 } })).newPage();
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

it('the admin publishes a desktop release from the app: uploads the installer with progress, confirms, stages the rollout; the feed serves it', async () => {
  const installer = path.join(tempDir('opsdesk-e2e-release-'), 'OpsDesk-9.1.0-x86_64.AppImage');
  const bytes = randomBytes(7 * 1024 * 1024 + 5);
  writeFileSync(installer, bytes);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Admin' }).click();
  await page.getByRole('tab', { name: 'Updates' }).click();
  await page.getByText('Nothing published yet').waitFor();
  await page.getByRole('button', { name: 'Publish a release…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Version').fill('9.1.0');
  await dialog.getByLabel('Installers').setInputFiles(installer);
  await dialog.getByLabel('Rollout (% of installs)').fill('20');
  await dialog.getByLabel('Release notes').fill('Faster queue');
  await dialog.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('heading', { name: 'Publish 9.1.0?' }).waitFor();
  await expect.poll(() => page.getByRole('dialog').textContent()).toContain('20% of installs at first');
  await screenshots(page, '01-publish-release-confirm');
  await page.getByRole('button', { name: 'Publish to beta' }).click();
  const row = page.getByRole('row', { name: /beta.*linux.*9\.1\.0/ });
  await row.waitFor({ timeout: 60_000 });
  const sha512 = createHash('sha512').update(bytes).digest('base64');
  await expect.poll(() => row.textContent()).toContain(`sha512 ${sha512.slice(0, 12)}`);
  await screenshots(page, '02-update-releases');

  // The feed of the server the desktop is connected to offers it to 20 % of installs, then to all.
  const profiles = (await page.evaluate(() => (window as any).opsdesk.invoke('profiles.list'))) as any;
  const feedUrl = profiles.value.profiles[0].url as string;
  const feed = async () => parse(await (await fetch(`${feedUrl}/updates/beta/latest-linux.yml`)).text());
  expect(await feed()).toMatchObject({ version: '9.1.0', sha512, stagingPercentage: 20, releaseNotes: 'Faster queue' });
  await row.getByLabel('Rollout percentage for beta/linux').fill('100');
  await row.getByRole('button', { name: 'Save' }).click();
  await page.getByText('beta/linux now offered to 100% of installs').waitFor();
  expect((await feed()).stagingPercentage).toBeUndefined();
}, 150_000);
