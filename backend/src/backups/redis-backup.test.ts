import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserAndLogin, startRedis, startTestServer, tempDir, type TestServer } from '../../test-support/harness';
import { waitJob } from '../../test-support/wait-job';
import { BackupKeys } from './backup-keys';
import { openSealed } from './files';

const KEY = 'redis-backup-key-'.repeat(3);

describe('the backup-redis runbook against a real redis-server', () => {
  let redis: { url: string; stop(): Promise<void> };
  let server: TestServer;
  let oncall: { accessToken: string };

  beforeAll(async () => {
    redis = await startRedis({ dir: tempDir('opsdesk-redis-data-') });
    server = await startTestServer('sqlite', { env: { JOB_WORKERS: '0', OPS_SCHEDULERS: 'false', REDIS_BACKUP_URL: redis.url, BACKUP_KEY: KEY } });
    oncall = await createUserAndLogin(server, { email: 'oncall@example.com', password: 'correct-horse-battery-3', role: 'oncall' });
  });
  afterAll(async () => {
    await server.dispose();
    await redis.stop();
  });

  it('BGSAVE, then a sealed copy of dump.rdb in the backup folder that opens to the saved data', async () => {
    const client = new Redis(redis.url);
    await client.set('opsdesk:backup-marker', 'kept-by-bgsave');
    client.disconnect();
    const job = await server.api('POST', '/api/v1/jobs', { token: oncall.accessToken, body: { runbook: 'backup-redis' } });
    expect(job.status, JSON.stringify(job.body)).toBe(201);
    const done = await waitJob(server, oncall.accessToken, job.body.id, undefined, 60_000);
    expect(done.status, done.reason).toBe('succeeded');
    const file = done.result.file as string;
    expect(path.dirname(file)).toBe(path.join(server.config.DATA_DIR, 'backups'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const plain = path.join(tempDir(), 'dump.rdb');
    await openSealed(file, plain, new BackupKeys(KEY).encryption, 'gzip');
    const rdb = readFileSync(plain);
    expect(rdb.subarray(0, 5).toString()).toBe('REDIS');
    expect(rdb.includes(Buffer.from('kept-by-bgsave'))).toBe(true);
    expect(done.summary).toMatch(/BGSAVE/);
  });

  it('fails with a clear reason when no Redis is configured', async () => {
    const bare = await startTestServer('sqlite', { env: { JOB_WORKERS: '0', OPS_SCHEDULERS: 'false' } });
    try {
      const u = await createUserAndLogin(bare, { email: 'oncall@example.com', password: 'correct-horse-battery-3', role: 'oncall' });
      const job = await bare.api('POST', '/api/v1/jobs', { token: u.accessToken, body: { runbook: 'backup-redis' } });
      const done = await waitJob(bare, u.accessToken, job.body.id, undefined, 30_000);
      expect(done.status).toBe('failed');
      expect(done.reason).toMatch(/REDIS_BACKUP_URL/);
    } finally {
      await bare.dispose();
    }
  });
});
