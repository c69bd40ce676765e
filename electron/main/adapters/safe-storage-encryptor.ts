import path from 'node:path';
import { safeStorage } from 'electron';
import { localKeyEncryptor, type Encryptor } from '../../core/secrets/encrypted-file-secret-store';

/** Electron's safeStorage (DPAPI / Keychain / libsecret key) for the fallback file; a local key if even that is missing. */
export function safeStorageEncryptor(userData: string): Encryptor {
  if (!safeStorage.isEncryptionAvailable()) return localKeyEncryptor(path.join(userData, 'secrets.key'));
  return {
    description: 'a file in the app data folder encrypted with Electron safeStorage',
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (data) => safeStorage.decryptString(data),
  };
}
