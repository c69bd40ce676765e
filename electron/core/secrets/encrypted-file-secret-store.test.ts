import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Notice } from '../../../shared/ipc';
import { tmpDir } from '../test-support/fixtures';
import { EncryptedFileSecretStore, localKeyEncryptor } from './encrypted-file-secret-store';

function aesOpen(key: Buffer, iv: Buffer, tag: Buffer, data: Buffer): string {
  const d = createDecipheriv('aes-256-gcm', key, iv);
  d.setAuthTag(tag);
  return Buffer.concat([d.update(data), d.final()]).toString('utf8');
}

/** The format the store wrote before version 2: the whole JSON sealed by the encryptor itself. */
function writeLegacy(file: string, keyFile: string, entries: Record<string, string>) {
  const key = readFileSync(keyFile);
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(JSON.stringify(entries), 'utf8'), c.final()]);
  writeFileSync(file, Buffer.concat([iv, c.getAuthTag(), body]));
}

function open(dir: string, keyName = 'secrets.key') {
  const notices: Notice[] = [];
  const store = new EncryptedFileSecretStore(path.join(dir, 'secrets.bin'), localKeyEncryptor(path.join(dir, keyName)));
  store.onNotice((n) => notices.push(n));
  return { store, notices, file: path.join(dir, 'secrets.bin') };
}

describe('the encrypted-file secret store', () => {
  it('writes a versioned file whose data key is derived (HKDF) from a wrapped secret, not the key file itself', async () => {
    const dir = tmpDir();
    const { store, file } = open(dir);
    await store.set('p1:a@example.com', 'refresh-token-a');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string | number>;
    expect(doc).toMatchObject({ format: 'opsdesk-secrets', version: 2, kdf: 'hkdf-sha256' });
    expect(readFileSync(file, 'utf8')).not.toContain('refresh-token-a');
    const b = (k: string) => Buffer.from(doc[k] as string, 'base64');
    const rawKey = readFileSync(path.join(dir, 'secrets.key'));
    expect(() => aesOpen(rawKey, b('iv'), b('tag'), b('data'))).toThrow();
    const master = Buffer.from(localKeyEncryptor(path.join(dir, 'secrets.key')).decrypt(b('wrappedKey')), 'base64');
    const key = Buffer.from(hkdfSync('sha256', master, b('salt'), 'opsdesk secret store v2', 32));
    expect(JSON.parse(aesOpen(key, b('iv'), b('tag'), b('data')))).toEqual({ 'p1:a@example.com': 'refresh-token-a' });
  });

  it('still reads the old format, and upgrades it on the next write keeping every account', async () => {
    const dir = tmpDir();
    localKeyEncryptor(path.join(dir, 'secrets.key'));
    writeLegacy(path.join(dir, 'secrets.bin'), path.join(dir, 'secrets.key'), { 'p1:a@example.com': 'old-a', 'p2:b@example.com': 'old-b' });
    const { store, file, notices } = open(dir);
    expect(await store.get('p1:a@example.com')).toBe('old-a');
    await store.set('p1:a@example.com', 'new-a');
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(2);
    expect(await store.get('p2:b@example.com')).toBe('old-b');
    expect(await store.get('p1:a@example.com')).toBe('new-a');
    expect(notices).toEqual([]);
  });

  it('never overwrites a file it cannot decrypt: keeps it, raises a notice, and asks to sign in again', async () => {
    const dir = tmpDir();
    const first = open(dir);
    await first.store.set('p1:a@example.com', 'token-a');
    await first.store.set('p2:b@example.com', 'token-b');
    const original = readFileSync(first.file);

    // The same file, opened with another key (another machine's, a reset keyring).
    const other = open(dir, 'other.key');
    expect(await other.store.get('p1:a@example.com')).toBeNull();
    expect(other.notices).toHaveLength(1);
    expect(other.notices[0]).toMatchObject({ level: 'error', code: 'secrets_unreadable' });
    expect(other.notices[0]!.message).toMatch(/could not be decrypted.*sign in again/i);
    expect(other.store.status().problem).toMatch(/could not be decrypted/);
    expect(await other.store.delete('p2:b@example.com')).toBe(false);
    expect(readFileSync(first.file)).toEqual(original);

    // Signing in again saves a new token beside the kept file, which still holds the others.
    await other.store.set('p1:a@example.com', 'token-a2');
    const kept = readdirSync(dir).filter((f) => f.startsWith('secrets.bin.unreadable-'));
    expect(kept).toHaveLength(1);
    expect(readFileSync(path.join(dir, kept[0]!))).toEqual(original);
    expect(await other.store.get('p1:a@example.com')).toBe('token-a2');
    expect(await other.store.get('p2:b@example.com')).toBeNull();
    expect(other.notices.at(-1)!.message).toContain(kept[0]!);
    const recovered = new EncryptedFileSecretStore(path.join(dir, kept[0]!), localKeyEncryptor(path.join(dir, 'secrets.key')));
    expect(await recovered.get('p2:b@example.com')).toBe('token-b');
    expect(existsSync(`${first.file}.tmp`)).toBe(false);
  });

  it('says whether the OS protects it', () => {
    const { store } = open(tmpDir());
    expect(store.status()).toMatchObject({ kind: 'encrypted-file', osProtected: false, problem: null });
  });
});
