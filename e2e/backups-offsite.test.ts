// Restore from an off-site copy, end to end: a real backend with its backups copied to Debian's
// OpenSSH server on loopback, the browser host and Chromium. The machine's own copy is lost; the
// admin restores from the off-site list with the typed confirmation; a second admin approves.
import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type Sshd } from '../backend/test-support/sshd';
import { connectAndSignIn, createUser, openJourney, screenshots, startBackend, until, type Backend, type Host, type Journey } from './support';

const ADMIN = {
  email: 'ada@example.com',
  password: 'quartz-lantern-velvet-42',
  name: 'Ada Admin',
  role: 'admin' as const,
};
const BOB = {
  email: 'bob@example.com',
  password: 'granite-harbor-comet-77',
  name: 'Bob Admin',
  role: 'admin' as const,
};

describe('backups off-site: restore from the SFTP copy in the app', () => {
  let sshd: Sshd;
  let backend: Backend;
  let host: Host;
  let session: Journey;
  let page: Page;
  let admin: { id: string; token: string };
  let bob: { id: string; token: string };

  beforeAll(async () => {
    sshd = await startSshd();
    backend = await startBackend({
      JOB_WORKERS: '0',
      OPS_SCHEDULERS: 'false',
      MONITORING_LOOPS: 'false',
      OFFSITE_SFTP_URL: sshd.url('opsdesk'),
      OFFSITE_SFTP_KEY_FILE: sshd.keyFile,
      OFFSITE_SFTP_HOST_KEY: sshd.hostKeySha256,
    });
    admin = await createUser(backend, ADMIN);
    bob = await createUser(backend, BOB);
    session = await openJourney();
    ({ host, page } = session);
  }, 180_000);
  afterAll(async () => {
    await session?.close();
    await backend?.stop();
    await sshd?.stop();
  });

  const job = async (runbook: string) => {
    const r = await backend.api('POST', '/api/v1/jobs', { runbook }, admin.token);
    return until(
      async () => {
        const j = (await backend.api('GET', `/api/v1/jobs/${r.body.id}`, undefined, admin.token)).body;
        return ['succeeded', 'failed'].includes(j.status) && j;
      },
      60_000,
      runbook,
    );
  };
  const emails = async () =>
    (await backend.api('GET', '/api/v1/users', undefined, admin.token)).body
      .map((u: { email: string }) => u.email)
      .sort();

  it(
    'lists the off-site copy, restores it after the local one is lost, with the typed confirmation and a second admin',
    { timeout: 180_000 },
    async () => {
      // Signed in before the backup: the session is part of what the restore brings back.
      await connectAndSignIn(page, host.host.openUrl, backend.url, ADMIN);
      const backup = await job('backup-database');
      expect(backup.status).toBe('succeeded');
      expect((await job('offsite-sync')).status).toBe('succeeded');
      const snapshot = await emails();
      await createUser(backend, {
        email: 'after-backup@example.com',
        password: 'copper-meadow-lantern-9',
        name: 'Later',
        role: 'agent',
      });
      // The machine's copy is gone; only the off-site one is left.
      rmSync(backup.result.file);
      rmSync(`${backup.result.file}.manifest.json`);
      await backend.server.services.database.db
        .deleteFrom('backups')
        .where('id', '=', backup.result.backupId)
        .execute();

      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('button', { name: 'Backups' })
        .first()
        .click();

      const row = page.getByTestId('offsite-row');
      await row.waitFor();
      expect(await row.getAttribute('data-backup-id')).toBe(backup.result.backupId);
      await page.getByText(/At sftp:\/\//).waitFor();
      await screenshots(page, 'offsite-01-list');
      await row.getByRole('button', { name: 'Restore from off-site…' }).click();
      const confirm = page.getByRole('button', { name: 'Restore', exact: true });
      expect(await confirm.isDisabled()).toBe(true);
      await page.getByLabel(/Type .* to confirm/).fill(backup.result.backupId);
      await screenshots(page, 'offsite-02-confirm');
      await confirm.click();
      await page.getByRole('log', { name: 'Job log' }).waitFor();
      await expect
        .poll(() => page.getByTestId('job-status').first().textContent(), { timeout: 15_000 })
        .toBe('Awaiting approval');
      const hash = await page.evaluate(() => location.hash);
      const jobId = decodeURIComponent(hash.split('/')[2]!);
      // The approvals inbox says which rule is in force here (two admins: another admin approves).
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('button', { name: 'Runbooks' })
        .first()
        .click();
      await expect
        .poll(() => page.getByTestId('approval-policy').textContent())
        .toMatch(/other than the one who requested/);
      await page.getByText('restore-database').first().waitFor();
      expect(await page.getByRole('button', { name: 'Approve', exact: true }).isDisabled()).toBe(true); // her own request
      await screenshots(page, 'offsite-03-approvals-inbox');
      await page.evaluate((h) => (location.hash = h), hash);
      await page.getByRole('log', { name: 'Job log' }).waitFor();
      expect((await backend.api('POST', `/api/v1/jobs/${jobId}/approve`, {}, admin.token)).status).toBe(403); // not the requester
      expect((await backend.api('POST', `/api/v1/jobs/${jobId}/approve`, {}, bob.token)).status).toBe(200);
      await expect
        .poll(() => page.getByTestId('job-status').first().textContent(), { timeout: 90_000 })
        .toMatch(/^(Succeeded|Failed)$/);
      await page
        .getByText(/fetching .* from sftp:\/\//)
        .first()
        .waitFor();
      await screenshots(page, 'offsite-04-restored');
      const done = (await backend.api('GET', `/api/v1/jobs/${jobId}`, undefined, admin.token)).body;
      expect(done.status, done.reason ?? done.summary).toBe('succeeded');
      expect(await emails()).toEqual(snapshot);
    },
  );
});
