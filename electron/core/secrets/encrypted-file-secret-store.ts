import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SecretStore } from '../ports';

/** Encrypts the fallback file: Electron's safeStorage in the app, a local key file in plain Node. */
export interface Encryptor {
  readonly description: string;
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

/**
 * The fallback when no keychain answers: one encrypted JSON file of account → secret, written
 * atomically with mode 0600. Used only with a visible notice (see openSecretStore).
 */
export class EncryptedFileSecretStore implements SecretStore {
  readonly kind = 'encrypted-file' as const;
  constructor(
    private readonly file: string,
    private readonly encryptor: Encryptor,
  ) {}

  private read(): Record<string, string> {
    if (!existsSync(this.file)) return {};
    try {
      return JSON.parse(this.encryptor.decrypt(readFileSync(this.file))) as Record<string, string>;
    } catch {
      // Unreadable (other machine's key, corruption): the user signs in again.
      return {};
    }
  }

  private write(entries: Record<string, string>): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, this.encryptor.encrypt(JSON.stringify(entries)), { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  async get(account: string): Promise<string | null> {
    return this.read()[account] ?? null;
  }
  async set(account: string, secret: string): Promise<void> {
    this.write({ ...this.read(), [account]: secret });
  }
  async delete(account: string): Promise<boolean> {
    const entries = this.read();
    if (!(account in entries)) return false;
    delete entries[account];
    this.write(entries);
    return true;
  }
}

/** AES-256-GCM with a random key kept beside the data (0600). Weaker than a keychain, and said so. */
export function localKeyEncryptor(keyFile: string): Encryptor {
  let key: Buffer;
  if (existsSync(keyFile)) key = readFileSync(keyFile);
  else {
    mkdirSync(path.dirname(keyFile), { recursive: true });
    key = randomBytes(32);
    writeFileSync(keyFile, key, { mode: 0o600 });
  }
  return {
    description: 'a file encrypted with a key stored in the app data folder',
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt(data) {
      const d = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      d.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([d.update(data.subarray(28)), d.final()]).toString('utf8');
    },
  };
}
