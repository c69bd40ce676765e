import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserAndLogin, startTestServer, type TestServer } from '../../test-support/harness';
import { startSshd, type Sshd } from '../../test-support/sshd';
import { waitJob } from '../../test-support/wait-job';

type Login = { id: string; accessToken: string };

describe('off-site copies over SFTP against a real OpenSSH server', () => {
  let sshd: Sshd;
  let server: TestServer;
  let admin: Login;
  let admin2: Login;

  beforeAll(async () => {
    sshd = await startSshd();
    server = await startTestServer('sqlite', {
      // One hourly copy: two backups in the same hour leave one off-site.
      env: { JOB_WORKERS: '0', OPS_SCHEDULERS: 'false', BACKUP_RETENTION: '1h/0d/0w/0m', OFFSITE_SFTP_URL: sshd.url('offsite/opsdesk'), OFFSITE_SFTP_KEY_FILE: sshd.keyFile, OFFSITE_SFTP_HOST_KEY: sshd.hostKeySha256 },
    });
    admin = await createUserAndLogin(server, { email: 'admin@example.com', password: 'correct-horse-battery-1', role: 'admin' });
    admin2 = await createUserAndLogin(server, { email: 'admin2@example.com', password: 'correct-horse-battery-2', role: 'admin' });
  }, 60_000);
  afterAll(async () => {
    await server.dispose();
    await sshd.stop();
  });

  const run = async (runbook: string) => {
    const job = await server.api('POST', '/api/v1/jobs', { token: admin.accessToken, body: { runbook } });
    expect(job.status, JSON.stringify(job.body)).toBe(201);
    return waitJob(server, admin.accessToken, job.body.id, undefined, 90_000);
  };
  const users = async () => (await server.api('GET', '/api/v1/users', { token: admin.accessToken })).body.map((u: { email: string }) => u.email).sort();
  const remote = () => readdirSync(path.join(sshd.root, 'offsite/opsdesk')).sort();

  it('uploads sealed backups with their manifests and applies the retention there', { timeout: 120_000 }, async () => {
    const first = await run('backup-database');
    const second = await run('backup-database');
    const sync = await run('offsite-sync');
    expect(sync.status, sync.reason).toBe('succeeded');
    expect(sync.result).toEqual({ uploaded: [path.basename(second.result.file)], pruned: [] });
    expect(remote()).toEqual([path.basename(second.result.file), `${path.basename(second.result.file)}.manifest.json`]);
    expect(first.result.file).not.toBe(second.result.file);
    // A newer backup in the same hour replaces it there: the retention applies off-site.
    const third = await run('backup-database');
    const again = await run('offsite-sync');
    expect(again.result).toEqual({ uploaded: [path.basename(third.result.file)], pruned: [path.basename(second.result.file)] });
    expect(remote()).toEqual([path.basename(third.result.file), `${path.basename(third.result.file)}.manifest.json`]);
    const list = await server.api('GET', '/api/v1/backups/offsite', { token: admin.accessToken });
    expect(list.body).toMatchObject({ configured: true, items: [{ id: third.result.backupId, kind: 'manual', dialect: 'sqlite' }] });
    expect(list.body.where).toContain('sftp://');
  });

  it('restores from the off-site copy after the local one is gone, with the second admin\'s approval', { timeout: 120_000 }, async () => {
    const b = await run('backup-database');
    expect((await run('offsite-sync')).status).toBe('succeeded');
    const snapshot = await users();
    await createUserAndLogin(server, { email: 'after-backup@example.com', password: 'correct-horse-battery-3', role: 'agent' });
    // The machine's copy is lost: file, manifest and catalogue row.
    rmSync(b.result.file);
    rmSync(`${b.result.file}.manifest.json`);
    await server.services.database.db.deleteFrom('backups').where('id', '=', b.result.backupId).execute();

    const r = await server.api('POST', `/api/v1/backups/offsite/${b.result.backupId}/restore`, { token: admin.accessToken, body: { confirmation: 'restore-database' } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.status).toBe('awaiting_approval');
    expect((await server.api('POST', `/api/v1/jobs/${r.body.id}/approve`, { token: admin2.accessToken })).status).toBe(200);
    const done = await waitJob(server, admin.accessToken, r.body.id, undefined, 90_000);
    expect(done.status, done.reason).toBe('succeeded');
    expect(await users()).toEqual(snapshot);
    expect(statSync(b.result.file).mode & 0o777).toBe(0o600);
  });
});
