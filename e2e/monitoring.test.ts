// Issue 15 end to end in the browser host: add a scrape target (Debian's node exporter) and a probe in
// the app, see them on the monitoring overview and the target's dashboard with threshold lines read
// from the rules, edit a threshold in the rule editor (its preview says it would fire) and watch the
// alert fire. Screenshots in test-output/screenshots/6x-*.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startNodeExporter, type Exporter } from '../backend/test-support/exporters';
import { startHttp } from '../backend/test-support/probe-servers';
import { connectAndSignIn, createUser, openJourney, screenshots, startBackend, until, type Backend, type Host, type Journey } from './support';

const ADMIN = { email: 'mona@example.com', password: 'granite-heron-sunlight-77', name: 'Mona Monitor', role: 'admin' as const };

describe('monitoring: targets, probes, dashboards and rules in the app', () => {
  let backend: Backend;
  let host: Host;
  let session: Journey;
  let page: Page;
  let admin: { id: string; token: string };
  let exporter: Exporter;
  let web: Awaited<ReturnType<typeof startHttp>>;
  const go = (label: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: label, exact: false }).first().click();

  beforeAll(async () => {
    exporter = await startNodeExporter();
    web = await startHttp('<h1>All systems operational</h1>');
    // Rules evaluate every 5 s here, so a fired alert shows within the test's patience.
    backend = await startBackend({ METRICS_INTERVAL_SECONDS: '5' });
    admin = await createUser(backend, ADMIN);
    session = await openJourney();
    ({ host, page } = session);
    await connectAndSignIn(page, host.host.openUrl, backend.url, ADMIN);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    await backend?.stop();
    await exporter?.stop();
    await web?.close();
  });

  it('adds a target and a probe in the app and sees both up on the overview', async () => {
    await go('Probes');
    await page.getByRole('button', { name: 'Add probe' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Status page');
    await page.getByLabel(/^URL/).fill(`${web.url}/`);
    await page.getByLabel(/^Interval/).fill('5');
    await page.getByLabel(/^Timeout/).fill('2');
    await page.getByLabel('Keyword', { exact: true }).fill('operational');
    await page.getByRole('button', { name: 'Add probe' }).click();
    await page.locator('tr', { hasText: 'Status page' }).locator('[data-probe-state="up"]').waitFor({ timeout: 20_000 });

    await go('Monitoring');
    await page.getByRole('heading', { name: 'Monitoring' }).waitFor();
    // Validation inline: a URL that is not http(s).
    await page.getByLabel('Job').fill('node');
    await page.getByLabel('Metrics URL').fill('ftp://nowhere');
    await page.getByRole('button', { name: 'Add target' }).click();
    await page.getByText('must be an http:// or https:// URL').waitFor();
    await page.getByLabel('Metrics URL').fill(exporter.url);
    await page.getByRole('button', { name: 'Add target' }).click();
    const instance = new URL(exporter.url).host;
    const target = page.locator(`[data-entry="node/${instance}"]`);
    await target.locator('[data-state="up"]').waitFor({ timeout: 20_000 });
    await page.locator('[data-entry="Status page"] [data-state="up"]').waitFor({ timeout: 20_000 });
    await page.locator('[data-entry="health: database"] [data-state="up"]').waitFor();
    await screenshots(page, '60-monitoring-overview');
  }, 90_000);

  it("opens the target's dashboard: host panels with threshold lines from the rules", async () => {
    const instance = new URL(exporter.url).host;
    await page.getByRole('button', { name: `node/${instance}` }).click();
    await page.getByRole('heading', { name: `node · ${instance}` }).waitFor();
    const memory = page.locator('[data-panel="node_memory_used_ratio"]');
    await memory.getByText('lines from “Host memory usage”').waitFor();
    await memory.locator('canvas').waitFor({ timeout: 30_000 });
    // Two scrapes make the CPU ratio (a rate): within one 15 s interval, the dashboard refreshes.
    await page.locator('[data-panel="node_cpu_usage_ratio"] canvas').waitFor({ timeout: 40_000 });
    await page.getByRole('radio', { name: '24h' }).click();
    await expect.poll(() => page.getByRole('radio', { name: '24h' }).getAttribute('aria-checked')).toBe('true');
    await page.getByRole('radio', { name: '1h' }).click();
    await page.waitForTimeout(500);
    await screenshots(page, '61-target-dashboard');
  }, 90_000);

  it('edits a threshold in the rule editor, sees the preview, and watches the alert fire', async () => {
    await go('Admin');
    await page.getByRole('tab', { name: 'Alert rules' }).click();
    await page.getByRole('button', { name: 'Edit Host memory usage' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Edit rule “Host memory usage”' }).waitFor();
    // Out of order: shown inline, nothing sent.
    await dialog.getByLabel('Warning at').fill('0.9');
    await dialog.getByLabel('Critical at').fill('0.5');
    await dialog.getByRole('button', { name: 'Save rule' }).click();
    await dialog.getByText('must not be below the warning level').waitFor();
    await dialog.getByLabel('Warning at').fill('0.01');
    await dialog.getByLabel('Critical at').fill('');
    await dialog.getByLabel('For (s) before firing').fill('0');
    await dialog.getByText(/Would fire now on 1 of 1 series/).waitFor({ timeout: 10_000 });
    await screenshots(page, '62-rule-editor');
    await dialog.getByRole('button', { name: 'Save rule' }).click();
    await dialog.waitFor({ state: 'detached' });

    const alert = await until(
      async () => {
        const res = await backend.api('GET', '/api/v1/alerts?status=firing&source=rule', undefined, admin.token);
        return (res.body.items as { id: string; name: string }[]).find((a) => a.name === 'Host memory usage');
      },
      30_000,
      'the lowered memory rule firing',
    );
    await go('Alerts');
    await page.locator(`[data-alert-id="${alert.id}"]`).waitFor({ timeout: 15_000 });
    await screenshots(page, '63-rule-alert');
    await go('Monitoring');
    const instance = new URL(exporter.url).host;
    await page.locator(`[data-entry="node/${instance}"] [data-state="warning"]`).waitFor({ timeout: 15_000 });
    await screenshots(page, '64-overview-warning');
  }, 90_000);
});
