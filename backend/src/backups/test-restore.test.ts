import { readdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, createUserAndLogin, startTestServer, type TestServer } from '../../test-support/harness';
import { waitJob } from '../../test-support/wait-job';

describe.each(DATABASES)('the monthly test restoration on %s', (kind) => {
  let server: TestServer;
  let admin: { id: string; accessToken: string };

  beforeAll(async () => {
    server = await startTestServer(kind, { env: { JOB_WORKERS: '0', OPS_SCHEDULERS: 'false' } });
    admin = await createUserAndLogin(server, { email: 'admin@example.com', password: 'correct-horse-battery-1', role: 'admin' });
  });
  afterAll(() => server.dispose());

  const run = async (runbook: string) => {
    const job = await server.api('POST', '/api/v1/jobs', { token: admin.accessToken, body: { runbook } });
    expect(job.status, JSON.stringify(job.body)).toBe(201);
    return waitJob(server, admin.accessToken, job.body.id, undefined, 90_000);
  };

  it('fails clearly when there is no backup yet', async () => {
    const r = await run('test-restore');
    expect(r.status).toBe('failed');
    expect(r.reason).toMatch(/no backup to test/);
  });

  it('restores the latest backup into a scratch database, verifies it, and leaves the live data and nothing else behind', { timeout: 120_000 }, async () => {
    expect((await run('backup-database')).status).toBe('succeeded');
    await createUserAndLogin(server, { email: 'after@example.com', password: 'correct-horse-battery-2', role: 'agent' });
    const r = await run('test-restore');
    expect(r.status, r.reason).toBe('succeeded');
    expect(r.summary).toMatch(/row count matches its manifest/);
    const logs = (await server.api('GET', `/api/v1/jobs/${r.id}/logs?after=0&limit=1000`, { token: admin.accessToken })).body.lines.map((l: { line: string }) => l.line).join('\n');
    expect(logs).toMatch(kind === 'sqlite' ? /scratch database: integrity_check ok/ : /staged copy verified/);
    const users = (await server.api('GET', '/api/v1/users', { token: admin.accessToken })).body.map((u: { email: string }) => u.email);
    expect(users).toContain('after@example.com');
    const dir = path.join(server.config.DATA_DIR, 'backups');
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
    if (kind === 'postgres') {
      const schemas = await sql<{ n: string }>`select nspname as n from pg_namespace where nspname like 'opsdesk_%'`.execute(server.services.database.db);
      expect(schemas.rows).toEqual([]);
    }
  });
});
