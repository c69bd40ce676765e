import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserAndLogin, startTestServer, type TestServer } from '../../test-support/harness';
import { waitJob } from '../../test-support/wait-job';

type Login = { id: string; accessToken: string };

describe('backup safety (sqlite)', () => {
  let server: TestServer;
  let admin: Login;
  let admin2: Login;
  let backup: { id: string; file: string };

  beforeAll(async () => {
    server = await startTestServer('sqlite', { env: { JOB_WORKERS: '0', OPS_SCHEDULERS: 'false' } });
    admin = await createUserAndLogin(server, { email: 'admin@example.com', password: 'correct-horse-battery-1', role: 'admin' });
    admin2 = await createUserAndLogin(server, { email: 'admin2@example.com', password: 'correct-horse-battery-2', role: 'admin' });
    backup = await takeBackup();
  }, 90_000);
  afterAll(() => server.dispose());

  async function takeBackup(): Promise<{ id: string; file: string }> {
    const job = await server.api('POST', '/api/v1/backups', { token: admin.accessToken });
    const done = await waitJob(server, admin.accessToken, job.body.id, undefined, 60_000);
    expect(done.status, JSON.stringify(done)).toBe('succeeded');
    return { id: done.result.backupId, file: done.result.file };
  }

  async function verify(ref: string): Promise<{ status: string; summary: string }> {
    const job = await server.api('POST', '/api/v1/jobs', { token: admin.accessToken, body: { runbook: 'verify-backup', params: { backupId: ref } } });
    expect(job.status, JSON.stringify(job.body)).toBe(201);
    return waitJob(server, admin.accessToken, job.body.id, undefined, 60_000);
  }

  async function restore(ref: string) {
    const job = await server.api('POST', '/api/v1/jobs', { token: admin.accessToken, body: { runbook: 'restore-database', params: { backupId: ref }, confirmation: 'restore-database' } });
    expect(job.status, JSON.stringify(job.body)).toBe(201);
    expect((await server.api('POST', `/api/v1/jobs/${job.body.id}/approve`, { token: admin2.accessToken })).status).toBe(200);
    return waitJob(server, admin.accessToken, job.body.id, undefined, 60_000);
  }

  it('backupId is a catalogue id or a file inside BACKUP_DIR; an outside path gets the same answer whether it exists or not', async () => {
    const dir = path.dirname(backup.file);
    const refs = ['/etc/passwd', '/etc/no-such-file-opsdesk', path.join(dir, '..', 'config.json'), path.join(dir, '..', 'nope.json'), 'no-such-backup-id'];
    const answers = [];
    for (const ref of refs) {
      const r = await verify(ref);
      expect(r.status).toBe('failed');
      answers.push(r.summary.replace(ref, '<ref>'));
    }
    expect(new Set(answers).size, answers.join('\n')).toBe(1);
    expect(answers[0]).toMatch(/not in the catalogue or in the backup folder/);
    // A file inside the folder, named by path, is accepted.
    expect((await verify(backup.file)).status).toBe('succeeded');
    expect((await verify(path.basename(backup.file))).status).toBe('succeeded');
  });

  it('a planted backup (a forged, unsigned or altered manifest) is refused before anything is read', async () => {
    const dir = path.dirname(backup.file);
    const manifest = JSON.parse(readFileSync(`${backup.file}.manifest.json`, 'utf8'));
    expect(manifest.hmac).toMatch(/^[0-9a-f]{64}$/);
    const plant = (name: string, m: Record<string, unknown>) => {
      copyFileSync(backup.file, path.join(dir, name));
      writeFileSync(path.join(dir, `${name}.manifest.json`), JSON.stringify({ ...m, file: name }));
      return path.join(dir, name);
    };
    const { hmac: _drop, ...unsigned } = manifest;
    expect((await verify(plant('planted-1.sqlite.gz', { ...unsigned, id: 'planted-1' }))).summary).toMatch(/not signed/);
    expect((await verify(plant('planted-2.sqlite.gz', { ...manifest, id: 'planted-2' }))).summary).toMatch(/signature does not match/);
    expect((await verify(plant('planted-3.sqlite.gz', { ...manifest, rowCounts: { users: 1 } }))).summary).toMatch(/signature does not match/);
    // A backup in the catalogue from before signing is vouched for by its row's checksum.
    const legacy = await takeBackup();
    const legacyManifest = JSON.parse(readFileSync(`${legacy.file}.manifest.json`, 'utf8'));
    delete legacyManifest.hmac;
    writeFileSync(`${legacy.file}.manifest.json`, JSON.stringify(legacyManifest));
    expect((await verify(legacy.id)).status).toBe('succeeded');
    const r = await restore(path.join(dir, 'planted-2.sqlite.gz'));
    expect(r.status).toBe('failed');
    expect(r.summary).toMatch(/signature does not match/);
  });

  it('restore builds the schema from OpsDesk migrations and copies rows: SQL stored in a backup never runs', { timeout: 90_000 }, async () => {
    const raw = server.services.database.sqlite!;
    // Something put a trigger and a view into the live database; the next backup carries them.
    raw.exec(`CREATE TRIGGER evil_promote AFTER INSERT ON users BEGIN UPDATE users SET role = 'admin'; END`);
    raw.exec(`CREATE VIEW evil_view AS SELECT email FROM users`);
    const tainted = await takeBackup();
    raw.exec('DROP TRIGGER evil_promote; DROP VIEW evil_view');
    const r = await restore(tainted.id);
    expect(r.status, JSON.stringify(r)).toBe('succeeded');
    const objects = (raw.prepare(`SELECT name FROM sqlite_master WHERE name LIKE 'evil%'`).all() as { name: string }[]).map((o) => o.name);
    expect(objects).toEqual([]);
    await createUserAndLogin(server, { email: 'agent@example.com', password: 'correct-horse-battery-5', role: 'agent' });
    const roles = (await server.api('GET', '/api/v1/users', { token: admin.accessToken })).body.map((u: { email: string; role: string }) => `${u.email}:${u.role}`).sort();
    expect(roles).toEqual(['admin2@example.com:admin', 'admin@example.com:admin', 'agent@example.com:agent']);
  });
});
