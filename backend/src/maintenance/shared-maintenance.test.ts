import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startServer } from '../app/server';
import { createPgDatabase, createUserAndLogin, makeApiCaller, testConfig } from '../../test-support/harness';
import { MAINTENANCE_LOCK_KEY } from './shared-maintenance';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('maintenance mode across instances on PostgreSQL', () => {
  it('entered on instance A, writes are refused on B as well until A leaves it; a cut session is raised again, a stopped holder frees it', { timeout: 60_000 }, async () => {
    const env = { DATABASE_URL: await createPgDatabase(), JWT_SECRET: 'a-shared-secret-for-two-instances-0123456789' };
    const aConfig = await testConfig('postgres', env);
    const a = await startServer(aConfig);
    const b = await startServer(await testConfig('postgres', env));
    try {
      const admin = await createUserAndLogin({ ...a, config: aConfig, api: makeApiCaller(a.url), dispose: async () => {} }, { email: 'restorer@example.com', password: 'quarry-lantern-echo-57', role: 'admin' });
      const onB = makeApiCaller(b.url);
      let n = 0;
      const writeOnB = () => onB('POST', '/api/v1/queues', { token: admin.accessToken, body: { name: `Queue ${n++}`, memberIds: [] } });
      expect((await writeOnB()).status).toBe(201);

      // enter() resolves once every instance has had time to read the flag.
      await a.services.maintenance.enter('restoring backup b-123');
      const refused = await writeOnB();
      expect(refused.status).toBe(503);
      expect(refused.body.message).toContain('restoring backup b-123');
      expect((await onB('GET', '/api/v1/queues', { token: admin.accessToken })).status).toBe(200);
      expect((await onB('GET', '/api/v1/maintenance/mode', { token: admin.accessToken })).body).toMatchObject({ active: true, reason: 'restoring backup b-123' });

      await a.services.maintenance.leave();
      await sleep(1_200);
      expect((await writeOnB()).status).toBe(201);

      // The holder's session is cut while the restore goes on: A raises the flag again, B keeps refusing.
      await a.services.maintenance.enter('restoring backup b-124');
      expect((await writeOnB()).status).toBe(503);
      const pgAdmin = new pg.Client({ connectionString: env.DATABASE_URL });
      await pgAdmin.connect();
      await pgAdmin.query(`select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and objid = $1`, [MAINTENANCE_LOCK_KEY]);
      await pgAdmin.end();
      await sleep(1_200);
      expect((await writeOnB()).status).toBe(503);
      // A dies (its sessions end with it): B accepts writes again.
      await a.stop();
      await sleep(1_200);
      expect((await writeOnB()).status).toBe(201);
    } finally {
      await b.stop();
      await a.stop();
    }
  });
});

describe('maintenance mode of one deployment on a shared PostgreSQL server', () => {
  it('is not seen by another deployment whose database lives on the same server', { timeout: 60_000 }, async () => {
    const { PgMaintenanceFlag } = await import('./shared-maintenance');
    const pino = (await import('pino')).default;
    const logger = pino({ level: 'silent' });
    const staging = new PgMaintenanceFlag(await createPgDatabase(), logger);
    const production = new PgMaintenanceFlag(await createPgDatabase(), logger);
    try {
      await staging.raise('restoring staging');
      expect(await staging.read()).toMatchObject({ reason: 'restoring staging' });
      expect(await production.read()).toBeNull();
    } finally {
      await staging.close();
      await production.close();
    }
  });
});
