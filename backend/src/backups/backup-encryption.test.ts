import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, createUserAndLogin, startTestServer, type TestServer } from '../../test-support/harness';
import { waitJob } from '../../test-support/wait-job';
import { MaintenanceMode } from '../maintenance/maintenance-mode';
import { BackupKeys } from './backup-keys';
import { BackupService } from './backup-service';
import { sha256File } from './files';

const KEY = 'backup-key-'.repeat(4);

describe.each(DATABASES)('encrypted backups on %s', (kind) => {
  let server: TestServer;
  let admin: { id: string; accessToken: string };
  let backup: { id: string; file: string };

  beforeAll(async () => {
    server = await startTestServer(kind, { env: { JOB_WORKERS: '0', OPS_SCHEDULERS: 'false', BACKUP_KEY: KEY } });
    admin = await createUserAndLogin(server, { email: 'admin@example.com', password: 'correct-horse-battery-1', role: 'admin' });
    const job = await server.api('POST', '/api/v1/backups', { token: admin.accessToken });
    const done = await waitJob(server, admin.accessToken, job.body.id, undefined, 60_000);
    expect(done.status, JSON.stringify(done)).toBe('succeeded');
    backup = { id: done.result.backupId, file: done.result.file };
  }, 90_000);
  afterAll(() => server.dispose());

  const users = async () => (await server.api('GET', '/api/v1/users', { token: admin.accessToken })).body.map((u: { email: string }) => u.email).sort();
  const serviceWith = (key: string) => {
    const c = server.services;
    return new BackupService(c.database, c.config.DATABASE_URL, path.dirname(backup.file), c.clock, c.audit, new MaintenanceMode(c.clock), { hourlyHours: 24, dailyDays: 30, weeklyWeeks: 12, monthlyMonths: 12 }, 0, new BackupKeys(key));
  };

  it('writes AES-256-GCM ciphertext, private to the server: folder 0700, backup and manifest 0600', () => {
    expect(statSync(path.dirname(backup.file)).mode & 0o777).toBe(0o700);
    expect(statSync(backup.file).mode & 0o777).toBe(0o600);
    expect(statSync(`${backup.file}.manifest.json`).mode & 0o777).toBe(0o600);
    const manifest = JSON.parse(readFileSync(`${backup.file}.manifest.json`, 'utf8'));
    expect(manifest.encryption).toBe('aes-256-gcm');
    const head = readFileSync(backup.file).subarray(0, 8);
    expect(head.toString('latin1')).toBe('OPSDENC1');
    expect(readFileSync(backup.file).includes(Buffer.from('admin@example.com'))).toBe(false);
  });

  it('a wrong key is refused with the database untouched', async () => {
    const before = await users();
    const wrong = serviceWith('another-key-'.repeat(4));
    await expect(wrong.verify(backup.id)).rejects.toThrow(/another BACKUP_KEY/);
    await expect(wrong.restore(backup.id, { actor: { id: admin.id, email: 'admin@example.com', ip: null } })).rejects.toThrow(/another BACKUP_KEY/);
    expect(await users()).toEqual(before);
  });

  it('altered ciphertext under a valid signature fails authentication before anything is restored', async () => {
    const bytes = readFileSync(backup.file);
    bytes[bytes.length - 40]! ^= 0xff;
    const forged = path.join(path.dirname(backup.file), `forged-${kind}.bin`);
    writeFileSync(forged, bytes);
    const keys = new BackupKeys(KEY);
    const manifest = JSON.parse(readFileSync(`${backup.file}.manifest.json`, 'utf8'));
    const resigned = keys.sign({ ...manifest, id: `forged-${kind}`, file: path.basename(forged), sha256: await sha256File(forged) });
    writeFileSync(`${forged}.manifest.json`, JSON.stringify(resigned));
    const before = await users();
    await expect(serviceWith(KEY).verify(forged)).rejects.toThrow(/cannot be decrypted/);
    expect(await users()).toEqual(before);
  });
});
