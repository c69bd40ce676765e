import path from 'node:path';
import { safeStorage } from 'electron';
import { localKeyEncryptor, type Encryptor } from '../../core/secrets/encrypted-file-secret-store';
import { assessSafeStorage } from '../../core/secrets/safe-storage-policy';

/**
 * Electron's safeStorage (DPAPI / Keychain / a Linux keyring) guards the fallback file's secret;
 * a local key when safeStorage is missing or, on Linux, only has its `basic_text` backend
 * (the decision and its wording: core/secrets/safe-storage-policy.ts).
 */
export function safeStorageEncryptor(userData: string): Encryptor {
  const available = safeStorage.isEncryptionAvailable();
  const choice = assessSafeStorage({ platform: process.platform, encryptionAvailable: available, backend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null });
  if (choice.use === 'local-key') {
    const local = localKeyEncryptor(path.join(userData, 'secrets.key'), { description: choice.description, warning: choice.warning });
    // A file sealed by safeStorage before (basic_text) still opens once, then moves to the local key.
    return available ? { ...local, decryptLegacy: (data) => safeStorage.decryptString(data) } : local;
  }
  return {
    description: choice.description,
    osProtected: true,
    warning: null,
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (data) => safeStorage.decryptString(data),
  };
}
