import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startServer } from '../app/server';
import { createUserAndLogin, startTestServer } from '../../test-support/harness';
import { waitJob } from '../../test-support/wait-job';

describe('shutdown during a restore (sqlite)', () => {
  it('waits for the running restore to finish instead of interrupting it', { timeout: 120_000 }, async () => {
    const server = await startTestServer('sqlite', { env: { JOB_WORKERS: '0', OPS_SCHEDULERS: 'false' } });
    const admin = await createUserAndLogin(server, { email: 'admin@example.com', password: 'correct-horse-battery-1', role: 'admin' });
    const admin2 = await createUserAndLogin(server, { email: 'admin2@example.com', password: 'correct-horse-battery-2', role: 'admin' });
    const b = await server.api('POST', '/api/v1/backups', { token: admin.accessToken });
    const backupId = (await waitJob(server, admin.accessToken, b.body.id, undefined, 60_000)).result.backupId;
    const r = await server.api('POST', `/api/v1/backups/${backupId}/restore`, { token: admin.accessToken, body: { confirmation: 'restore-database' } });
    await server.api('POST', `/api/v1/jobs/${r.body.id}/approve`, { token: admin2.accessToken });
    await waitJob(server, admin.accessToken, r.body.id, ['running', 'succeeded', 'failed'], 20_000);
    const before = await server.services.jobs.get(r.body.id);
    expect(before.status).toBe('running');
    await server.stop();

    const again = await startServer(server.config);
    try {
      const job = await again.services.jobs.get(r.body.id);
      expect(job.status, job.reason ?? '').toBe('succeeded');
      expect(job.summary).toMatch(/restored backup/);
    } finally {
      await again.stop();
      rmSync(server.config.DATA_DIR, { recursive: true, force: true });
    }
  });
});
