import { expect } from 'vitest';
import { selfSignedCertificate, startHttp, startHttps } from '../../backend/test-support/probe-servers';
import { screenshots, until } from '../support';
import type { Session } from './session';

/**
 * Adds an HTTP keyword probe in the app against a local server, sees it up, makes the server drop
 * the keyword, sees it down and its alert on the Alerts screen. The backend runs its probes loop
 * on the lifecycle (loops on), so nothing here triggers a check.
 */
export async function probeKeywordFlips({ page, backend, admin, go }: Session): Promise<void> {
  const web = await startHttp('<h1>All systems operational</h1>');
  const cert = selfSignedCertificate(5);
  const secure = await startHttps(cert);
  try {
    await go('Probes');
    await page.getByRole('heading', { name: 'Probes', exact: true }).waitFor();
    await page.getByText(/No probes yet/).waitFor();
    await page.getByRole('button', { name: 'Add probe' }).click();
    await page.getByRole('heading', { name: 'Add probe' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Status page');
    await page.getByLabel(/^URL/).fill(`${web.url}/`);
    await page.getByLabel(/^Interval/).fill('5');
    await page.getByLabel('Keyword', { exact: true }).fill('operational');
    // The default 10 s timeout is longer than a 5 s interval: shown inline, nothing sent.
    await page.getByRole('button', { name: 'Add probe' }).click();
    await page.getByText('must not be longer than the interval').waitFor();
    expect(await page.getByLabel(/^Timeout/).getAttribute('aria-invalid')).toBe('true');
    await screenshots(page, '20-probe-form-error');
    await page.getByLabel(/^Timeout/).fill('2');
    await screenshots(page, '21-probe-form');
    await page.getByRole('button', { name: 'Add probe' }).click();

    const row = page.locator('tr', { hasText: 'Status page' });
    await row.locator('[data-probe-state="up"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => row.textContent()).toMatch(/\d+ ms/);
    // A certificate made by openssl that expires in 5 days: the list shows the days left.
    const tls = await backend.api(
      'POST',
      '/api/v1/probes',
      {
        name: 'Shop certificate',
        kind: 'tls',
        target: `localhost:${secure.port}`,
        caPem: cert.certPem,
        intervalSeconds: 5,
        timeoutSeconds: 2,
      },
      admin.token,
    );
    expect(tls.status).toBe(201);
    const tlsRow = page.locator('tr', { hasText: 'Shop certificate' });
    await tlsRow.getByText(/^[45] days$/).waitFor({ timeout: 20_000 });
    await screenshots(page, '22-probes-up');

    web.body = '<h1>Major outage</h1>';
    await row.locator('[data-probe-state="down"]').waitFor({ timeout: 20_000 });
    await row.getByText('keyword "operational" not found').waitFor();
    await screenshots(page, '23-probes-down');

    const alert = await until(
      async () => {
        const res = await backend.api(
          'GET',
          '/api/v1/alerts?status=firing&source=probe',
          undefined,
          admin.token,
        );
        return (res.body.items as { id: string; name: string }[]).find(
          (a) => a.name === 'Probe down: Status page',
        );
      },
      15_000,
      'the probe-down alert on the server',
    );
    await go('Alerts');
    await page.locator(`[data-alert-id="${alert.id}"]`).waitFor({ timeout: 15_000 });
    await screenshots(page, '24-probe-alert');

    // The keyword comes back: the probe is up again and the alert resolves.
    web.body = '<h1>All systems operational</h1>';
    await until(
      async () =>
        (await backend.api('GET', `/api/v1/alerts/${alert.id}`, undefined, admin.token)).body?.status ===
        'resolved',
      20_000,
      'the probe-down alert to resolve',
    );
  } finally {
    await web.close();
    await secure.close();
  }
}
