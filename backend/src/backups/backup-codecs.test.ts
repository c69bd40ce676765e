import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserAndLogin, startTestServer, tempDir, type TestServer } from '../../test-support/harness';
import { waitJob } from '../../test-support/wait-job';
import { BackupKeys } from './backup-keys';
import { FAST_CODEC } from './backup-worker';
import { openSealed, sealFile, sha256File } from './files';

const KEY = 'codec-test-key-'.repeat(3);

describe('sealed files: every codec round-trips in a worker thread', () => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const key = new BackupKeys(KEY).encryption;

  it.each(['zstd', 'gzip', null] as const)('%s: the stored bytes hash to what seal reports and open gives back the original', async (codec) => {
    const plain = path.join(dir, `plain-${codec}`);
    const body = Buffer.concat([randomBytes(300_000), Buffer.alloc(2_000_000, 'opsdesk ')]);
    writeFileSync(plain, body);
    const sealed = `${plain}.sealed`;
    const { sha256, size } = await sealFile(plain, sealed, key, codec);
    expect(size).toBe(readFileSync(sealed).length);
    expect(sha256).toBe(await sha256File(sealed));
    expect(readFileSync(sealed).subarray(0, 8).toString('latin1')).toBe('OPSDENC1');
    if (codec) expect(size).toBeLessThan(body.length / 2);
    const back = `${plain}.back`;
    await openSealed(sealed, back, key, codec);
    expect(readFileSync(back).equals(body)).toBe(true);
    await expect(openSealed(sealed, `${plain}.wrong`, new BackupKeys('another-key-'.repeat(3)).encryption, codec)).rejects.toThrow(/authenticate|unable/i);
  });
});

describe('a SQLite backup taken before zstd (gzip inside the seal) still verifies and restores', () => {
  let server: TestServer;
  let admin: { id: string; accessToken: string };

  beforeAll(async () => {
    server = await startTestServer('sqlite', { env: { JOB_WORKERS: '1', OPS_SCHEDULERS: 'false', BACKUP_KEY: KEY } });
    admin = await createUserAndLogin(server, { email: 'admin@example.com', password: 'correct-horse-battery-1', role: 'admin' });
  });
  afterAll(() => server.dispose());

  it('new backups use zstd; one rewritten as OpsDesk wrote it before (gzip, .sqlite.gz) passes verify and restore', { timeout: 120_000 }, async () => {
    expect(FAST_CODEC).toBe('zstd');
    const job = await server.api('POST', '/api/v1/backups', { token: admin.accessToken });
    const done = await waitJob(server, admin.accessToken, job.body.id, undefined, 60_000);
    expect(done.status, JSON.stringify(done)).toBe('succeeded');
    const file: string = done.result.file;
    const manifest = JSON.parse(readFileSync(`${file}.manifest.json`, 'utf8'));
    expect(manifest.compression).toBe('zstd');
    expect(file).toMatch(/\.sqlite\.zst$/);

    // The same snapshot, sealed as before: gzip inside AES-256-GCM, named .sqlite.gz, manifest signed.
    const keys = new BackupKeys(KEY);
    const plain = `${file}.plain`;
    await openSealed(file, plain, keys.encryption, 'zstd');
    const legacy = path.join(path.dirname(file), `legacy-${manifest.id.slice(0, 8)}.sqlite.gz`);
    const sealed = await sealFile(plain, `${legacy}.tmp`, keys.encryption, 'gzip');
    renameSync(`${legacy}.tmp`, legacy);
    rmSync(plain);
    const old = keys.sign({ ...manifest, id: `legacy-${manifest.id}`, file: path.basename(legacy), compression: 'gzip', sizeBytes: sealed.size, sha256: sealed.sha256, hmac: undefined });
    writeFileSync(`${legacy}.manifest.json`, JSON.stringify(old), { mode: 0o600 });

    const verified = await server.services.backups.verify(path.basename(legacy));
    expect(verified.message).toMatch(/checksum ok; integrity_check ok/);
    if (verified.copy) rmSync(verified.copy, { force: true });
    const restored = await server.services.backups.restore(path.basename(legacy), { actor: { id: admin.id, email: 'admin@example.com', ip: null } });
    expect(restored.message).toMatch(/^restored backup legacy-/);
    const users = (await server.api('GET', '/api/v1/users', { token: admin.accessToken })).body.map((u: { email: string }) => u.email);
    expect(users).toContain('admin@example.com');
  });
});
