import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SessionPersistence } from '../session/session';
import { EncryptedFileSecretStore, localKeyEncryptor } from '../secrets/encrypted-file-secret-store';

export function tmpDir(prefix = 'opsdesk-core-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The real fallback store in a temp folder (vitest workers have no Secret Service; keytar is tested separately). */
export function fileSecrets(dir = tmpDir()): EncryptedFileSecretStore {
  return new EncryptedFileSecretStore(path.join(dir, 'secrets.bin'), localKeyEncryptor(path.join(dir, 'secrets.key')));
}

/** Holds the remembered user the way the profile store does, in memory. */
export function memoryPersistence(): SessionPersistence {
  let state: ReturnType<SessionPersistence['lastUser']> = { user: null, email: null };
  return {
    rememberUser: (user, email) => (state = { user, email }),
    lastUser: () => state,
  };
}
