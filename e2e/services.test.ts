// The services screen end to end: a real dockerd (its own socket and data root) runs a compose
// project's containers; the backend declares them as docker services; an on-call engineer scales
// celery 1 → 3 → 1 from the services screen and watches the replicas change, and the runbook form
// picks the service from the declared list.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeUp, startDockerd, type Dockerd } from '../backend/test-support/dockerd';
import { DockerDriver } from '../backend/src/services/docker/docker-driver';
import { ServiceSpec } from '../shared/api/services';
import { connectAndSignIn, createUser, openJourney, screenshots, startBackend, tempDir, type Backend, type Host, type Journey } from './support';

const dockerd = await startDockerd();
const OLGA = { email: 'olga@example.com', password: 'harbor-cinder-meadow-77', name: 'Olga Oncall', role: 'oncall' as const };
const SERVICES = [
  { name: 'celery', description: 'Celery workers (compose service shop/celery)', driver: 'docker', docker: { project: 'shop' }, maxReplicas: 5, stopTimeoutMs: 3000, startTimeoutMs: 30_000 },
  { name: 'web', description: 'Web front (compose service shop/web)', driver: 'docker', docker: { project: 'shop' }, maxReplicas: 4, stopTimeoutMs: 3000 },
];

describe.skipIf(!dockerd)('services screen with Docker', () => {
  let d: Dockerd;
  let backend: Backend;
  let host: Host;
  let session: Journey;
  let page: Page;
  let webIds: string[];

  beforeAll(async () => {
    d = dockerd!;
    await composeUp(d.api, 'shop', 'celery', 1);
    webIds = await composeUp(d.api, 'shop', 'web', 2);
    const file = path.join(tempDir('opsdesk-e2e-services-'), 'services.json');
    writeFileSync(file, JSON.stringify({ services: SERVICES }));
    backend = await startBackend({ SERVICES_FILE: file, DOCKER_SOCKET: d.socket });
    await createUser(backend, OLGA);
    session = await openJourney();
    ({ host, page } = session);
  }, 180_000);

  afterAll(async () => {
    await session?.close();
    await backend?.stop();
    await d?.stop();
  }, 90_000);

  const row = (name: string) => page.getByTestId('service-row').and(page.locator(`[data-service="${name}"]`));
  const count = (name: string) => row(name).getByTestId('replica-count').textContent();
  const running = async (service: string) => {
    const spec = ServiceSpec.parse(SERVICES.find((s) => s.name === service));
    return (await new DockerDriver(d.socket).containers(spec)).filter((c) => c.State.Running).map((c) => c.Name);
  };

  it('signs in and lists the declared services with replicas, health and image', async () => {
    await connectAndSignIn(page, host.host.openUrl, backend.url, OLGA);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Services' }).click();
    await page.getByRole('heading', { name: 'Services' }).waitFor();
    await expect.poll(() => count('celery'), { timeout: 20_000 }).toBe('1 / 1');
    expect(await count('web')).toBe('2 / 2');
    // One web container stops behind OpsDesk's back: the screen shows the service unhealthy.
    await d.api.stop(webIds[1]!, 3);
    await expect.poll(() => row('web').getAttribute('data-health'), { timeout: 10_000 }).toBe('unhealthy');
    expect(await count('web')).toBe('1 / 2');
    await expect.poll(() => row('web').textContent()).toContain('shop-web-2 stopped');
    await row('celery').getByRole('button', { name: 'celery' }).click();
    await page.getByTestId('service-logs').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('service-logs').textContent()).toMatch(/shop-celery-1 {2}\S+Z replica [0-9a-f]{12} up/);
    await screenshots(page, 'services-01-list');
  }, 90_000);

  it('scales celery 1 → 3 → 1 from the screen and watches the replicas change', async () => {
    await row('celery').getByRole('button', { name: 'Scale…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/Replicas/).fill('9');
    await dialog.getByRole('button', { name: 'Scale' }).click();
    await dialog.getByText('celery can run at most 5 replicas').waitFor();
    await dialog.getByLabel(/Replicas/).fill('3');
    await screenshots(page, 'services-02-scale-dialog');
    await dialog.getByRole('button', { name: 'Scale' }).click();
    await expect.poll(() => count('celery'), { timeout: 30_000 }).toBe('3 / 3');
    expect(await running('celery')).toEqual(['/shop-celery-1', '/shop-celery-2', '/shop-celery-3']);
    await expect.poll(() => page.getByTestId('replica-row').count()).toBe(3);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'scale to 3 of celery' }).textContent(), { timeout: 30_000 }).toContain('job succeeded');
    await screenshots(page, 'services-03-scaled-to-3');

    await row('celery').getByRole('button', { name: 'Scale…' }).click();
    await page.getByRole('dialog').getByLabel(/Replicas/).fill('1');
    await page.getByRole('dialog').getByRole('button', { name: 'Scale' }).click();
    await expect.poll(() => count('celery'), { timeout: 30_000 }).toBe('1 / 1');
    expect(await running('celery')).toEqual(['/shop-celery-1']);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'scale to 1 of celery' }).textContent(), { timeout: 30_000 }).toContain('job succeeded');
    // The job log carries the driver's steps and the replicas' own output.
    await page.getByRole('button', { name: 'Open its log' }).click();
    await page.getByRole('log', { name: 'Job log' }).waitFor();
    await expect.poll(() => page.getByRole('log', { name: 'Job log' }).textContent(), { timeout: 15_000 }).toContain('removing shop-celery-3, shop-celery-2 (newest first)');
    await screenshots(page, 'services-04-scale-job-log');
  }, 120_000);

  it('restarts the unhealthy web service from the screen: new containers, healthy again', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Services' }).click();
    await row('web').getByRole('button', { name: 'web' }).click();
    await expect.poll(() => page.getByTestId('replica-row').count(), { timeout: 10_000 }).toBe(2);
    const before = await page.getByTestId('replica-row').locator('td:first-child').allTextContents();
    await row('web').getByRole('button', { name: 'Restart…' }).click();
    await page.getByRole('dialog').getByText(/stopped gracefully and started again as a new container/).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Restart' }).click();
    await expect.poll(() => row('web').getAttribute('data-health'), { timeout: 30_000 }).toBe('healthy');
    expect(await count('web')).toBe('2 / 2');
    await expect.poll(async () => (await page.getByTestId('replica-row').locator('td:first-child').allTextContents()).filter((id) => before.includes(id)).length, { timeout: 10_000 }).toBe(0);
    expect(await running('web')).toEqual(['/shop-web-1', '/shop-web-2']);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'restart of web' }).textContent(), { timeout: 30_000 }).toContain('job succeeded');
    await screenshots(page, 'services-06-restarted');
  }, 90_000);

  it('the scale-service runbook form picks the service from the declared list', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Runbooks' }).click();
    await page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Scale a service' }) }).getByRole('button', { name: 'Run…' }).click();
    const picker = page.getByRole('dialog').getByLabel(/^Service/);
    await expect.poll(() => picker.evaluate((el) => el.tagName)).toBe('SELECT');
    expect(await picker.locator('option').allTextContents()).toEqual(['celery', 'web']);
    await picker.selectOption('web');
    await screenshots(page, 'services-05-runbook-picker');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  }, 60_000);
});
