import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Notice, SecretStorageStatus } from '../../../shared/ipc';
import type { SecretStore } from '../ports';
import { NOT_OS_PROTECTED } from './safe-storage-policy';

/** Protects the fallback file's secret: Electron's safeStorage in the app, a local key file otherwise. */
export interface Encryptor {
  readonly description: string;
  /** True only when an OS facility (DPAPI, Keychain, a Linux keyring) guards the key. */
  readonly osProtected: boolean;
  /** What the user is told when the OS does not protect the key. */
  readonly warning: string | null;
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
  /** Reads version-1 files written by another encryptor (safeStorage before a switch to a local key). */
  decryptLegacy?(data: Buffer): string;
}

const FORMAT = 'opsdesk-secrets';
const HKDF_INFO = 'opsdesk secret store v2';
const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
/** Version 2: a random 32-byte secret wrapped by the encryptor; the data key is HKDF-SHA256 of it with a fresh salt. */
const FileV2 = z.object({ format: z.literal(FORMAT), version: z.literal(2), kdf: z.literal('hkdf-sha256'), salt: b64, wrappedKey: b64, iv: b64, tag: b64, data: b64 });

type Entries = Record<string, string>;
type ReadResult = { ok: true; entries: Entries; master: Buffer | null } | { ok: false; reason: string };

const dataKey = (master: Buffer, salt: Buffer) => Buffer.from(hkdfSync('sha256', master, salt, HKDF_INFO, 32));

function versionTwo(raw: Buffer): z.infer<typeof FileV2> | null {
  if (raw[0] !== 0x7b /* { */) return null;
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return null; // a version-1 file that happens to start with "{"
  }
  const parsed = FileV2.safeParse(json);
  return parsed.success ? parsed.data : null;
}

function parseEntries(text: string): Entries {
  return z.record(z.string(), z.string()).parse(JSON.parse(text));
}

/**
 * The fallback when no keychain answers: one encrypted JSON file of account → secret, written
 * atomically with mode 0600. A file it cannot decrypt is never overwritten: it is kept (moved
 * aside before anything new is saved), a notice says so, and the user signs in again.
 */
export class EncryptedFileSecretStore implements SecretStore {
  readonly kind = 'encrypted-file' as const;
  private master: Buffer | null = null;
  private problem: string | null = null;
  private readonly listeners = new Set<(n: Notice) => void>();

  constructor(
    private readonly file: string,
    private readonly encryptor: Encryptor,
    private readonly options: { fallbackReason?: string } = {},
  ) {}

  onNotice(listener: (n: Notice) => void): void {
    this.listeners.add(listener);
  }

  status(): SecretStorageStatus {
    return { kind: this.kind, osProtected: this.encryptor.osProtected, description: this.encryptor.description, fallbackReason: this.options.fallbackReason ?? null, problem: this.problem };
  }

  private raise(message: string): void {
    this.problem = message;
    for (const l of this.listeners) l({ level: 'error', code: 'secrets_unreadable', message });
  }

  private decode(raw: Buffer): ReadResult {
    // Anything that is not a version-2 document is the version-1 layout (the encryptor's own bytes).
    const doc = versionTwo(raw);
    try {
      if (!doc) return { ok: true, entries: parseEntries((this.encryptor.decryptLegacy ?? this.encryptor.decrypt)(raw)), master: null };
      const b = (v: string) => Buffer.from(v, 'base64');
      const master = Buffer.from(this.encryptor.decrypt(b(doc.wrappedKey)), 'base64');
      const d = createDecipheriv('aes-256-gcm', dataKey(master, b(doc.salt)), b(doc.iv));
      d.setAuthTag(b(doc.tag));
      return { ok: true, entries: parseEntries(Buffer.concat([d.update(b(doc.data)), d.final()]).toString('utf8')), master };
    } catch (err) {
      return { ok: false, reason: (err as Error).message.slice(0, 160) };
    }
  }

  private read(): ReadResult {
    if (!existsSync(this.file)) return { ok: true, entries: {}, master: null };
    const result = this.decode(readFileSync(this.file));
    if (!result.ok && this.problem === null) {
      this.raise(`Saved sign-ins in ${this.file} could not be decrypted (${result.reason}). The file is kept as it is; sign in again.`);
    }
    if (result.ok && result.master) this.master = result.master;
    return result;
  }

  /** Moves an unreadable file aside so a new sign-in never overwrites it; answers the kept name. */
  private keepUnreadable(): void {
    const kept = `${this.file}.unreadable-${Date.now()}`;
    renameSync(this.file, kept);
    this.master = null;
    this.raise(`Saved sign-ins could not be decrypted; the old file was kept as ${path.basename(kept)} (in ${path.dirname(kept)}). Sign in again on the other accounts.`);
  }

  private write(entries: Entries): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    this.master ??= randomBytes(32);
    const salt = randomBytes(16);
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', dataKey(this.master, salt), iv);
    const data = Buffer.concat([c.update(JSON.stringify(entries), 'utf8'), c.final()]);
    const doc: z.infer<typeof FileV2> = {
      format: FORMAT,
      version: 2,
      kdf: 'hkdf-sha256',
      salt: salt.toString('base64'),
      wrappedKey: this.encryptor.encrypt(this.master.toString('base64')).toString('base64'),
      iv: iv.toString('base64'),
      tag: c.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(doc), { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  async get(account: string): Promise<string | null> {
    const r = this.read();
    return r.ok ? (r.entries[account] ?? null) : null;
  }

  async set(account: string, secret: string): Promise<void> {
    const r = this.read();
    if (!r.ok) this.keepUnreadable();
    this.write({ ...(r.ok ? r.entries : {}), [account]: secret });
  }

  async delete(account: string): Promise<boolean> {
    const r = this.read();
    if (!r.ok || !(account in r.entries)) return false;
    delete r.entries[account];
    this.write(r.entries);
    return true;
  }
}

/**
 * AES-256-GCM with a random key file beside the data (0600): it wraps the store's secret. Nothing
 * of the OS guards it, and the UI says so (`osProtected: false`).
 */
export function localKeyEncryptor(keyFile: string, text: { description?: string; warning?: string | null } = {}): Encryptor {
  let key: Buffer;
  if (existsSync(keyFile)) key = readFileSync(keyFile);
  else {
    mkdirSync(path.dirname(keyFile), { recursive: true });
    key = randomBytes(32);
    writeFileSync(keyFile, key, { mode: 0o600 });
  }
  return {
    description: text.description ?? 'a file encrypted with a key stored in the app data folder',
    osProtected: false,
    warning: text.warning ?? NOT_OS_PROTECTED,
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
