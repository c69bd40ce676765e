import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { READY_LINE, backendProcess, type BackendProcess } from '../../test-support/backend-process';
import { createPgDatabase, createUserAndLogin, makeApiCaller, startTestServer, tempDir } from '../../test-support/harness';
import { waitFor } from '../../test-support/mail-fixture';
import { freePort } from '../../test-support/postgres-cluster';
import { openDatabase } from '../platform/db/connect';

const KEY = 'k'.repeat(48);

function childrenOf(pid: number): string[] {
  try {
    return execFileSync('ps', ['--ppid', String(pid), '-o', 'args='], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch (e) {
    if ((e as { status?: number }).status === 1) return []; // ps exits 1 when nothing matched
    throw e;
  }
}

describe('kill -9 of the backend during a PostgreSQL restore', () => {
  const dataDir = tempDir();
  const running: BackendProcess[] = [];
  afterAll(() => {
    for (const b of running) b.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves the old data intact: after a restart the row counts equal the pre-restore data', { timeout: 240_000 }, async () => {
    const url = await createPgDatabase();
    const env = { DATABASE_URL: url, DATA_DIR: dataDir, BACKUP_KEY: KEY };
    const setup = await startTestServer('postgres', { env: { ...env, OPS_SCHEDULERS: 'false', MONITORING_LOOPS: 'false' } });
    const admin = await createUserAndLogin(setup, { email: 'admin@example.com', password: 'correct-horse-battery-1', role: 'admin' });
    await createUserAndLogin(setup, { email: 'admin2@example.com', password: 'correct-horse-battery-2', role: 'admin' });
    // Enough rows that copying them takes a while.
    await sql`insert into changes (entity, entity_id, op, audience, data, at) select 'ticket', 'bulk-' || g, 'upsert', 'all', repeat('x', 200), 1 from generate_series(1, 300000) g`.execute(setup.services.database.db);
    const b = await setup.api('POST', '/api/v1/backups', { token: admin.accessToken });
    await waitFor(async () => (await setup.api('GET', `/api/v1/jobs/${b.body.id}`, { token: admin.accessToken })).body.status === 'succeeded', 120_000, 'the backup');
    const backupId = (await setup.api('GET', `/api/v1/jobs/${b.body.id}`, { token: admin.accessToken })).body.result.backupId;
    // The data after the backup: what must survive the crash.
    await sql`delete from changes where entity_id like 'bulk-1%'`.execute(setup.services.database.db);
    await createUserAndLogin(setup, { email: 'after-backup@example.com', password: 'correct-horse-battery-3', role: 'agent' });
    await setup.stop();

    const counts = async () => {
      const h = openDatabase(url);
      try {
        const c = (t: string) => sql<{ n: string }>`select count(*) as n from ${sql.table(t)}`.execute(h.db).then((r) => Number(r.rows[0]!.n));
        const bulk = await sql<{ n: string }>`select count(*) as n from changes where entity_id like 'bulk-%'`.execute(h.db).then((r) => Number(r.rows[0]!.n));
        // The restarted backend appends its own changes (the interrupted job): the bulk rows are the data.
        return { users: await c('users'), bulkChanges: bulk, tickets: await c('tickets'), queues: await c('queues') };
      } finally {
        await h.close();
      }
    };
    const before = await counts();

    const port = await freePort();
    const first = backendProcess(dataDir, { ...env, PORT: String(port) });
    running.push(first);
    await waitFor(async () => first.lines.some((l) => l.includes(READY_LINE)), 60_000, 'the backend');
    const api = makeApiCaller(`http://127.0.0.1:${port}`);
    const login = async (email: string, password: string) => (await api('POST', '/api/v1/auth/login', { body: { email, password } })).body.accessToken as string;
    const t1 = await login('admin@example.com', 'correct-horse-battery-1');
    const t2 = await login('admin2@example.com', 'correct-horse-battery-2');
    const job = await api('POST', `/api/v1/backups/${backupId}/restore`, { token: t1, body: { confirmation: 'restore-database' } });
    expect(job.status, JSON.stringify(job.body)).toBe(201);
    expect((await api('POST', `/api/v1/jobs/${job.body.id}/approve`, { token: t2 })).status).toBe(200);
    // Kill while pg_restore streams the archive's data into the stage schema.
    await waitFor(async () => childrenOf(first.child.pid!).some((a) => a.includes('pg_restore') && a.includes('--data-only') && a.includes(' changes ')), 120_000, 'pg_restore of the changes table');
    first.child.kill('SIGKILL');
    await first.exited;

    expect(await counts()).toEqual(before);
    const second = backendProcess(dataDir, { ...env, PORT: String(port) });
    running.push(second);
    await waitFor(async () => second.lines.some((l) => l.includes(READY_LINE)), 60_000, 'the restarted backend');
    const t3 = await login('admin@example.com', 'correct-horse-battery-1');
    const users = (await api('GET', '/api/v1/users', { token: t3 })).body.map((u: { email: string }) => u.email);
    expect(users).toContain('after-backup@example.com');
    expect((await api('GET', `/api/v1/jobs/${job.body.id}`, { token: t3 })).body.status).toBe('interrupted');
    expect(await counts()).toEqual(before);
    second.child.kill('SIGTERM');
    await second.exited;
  });
});
