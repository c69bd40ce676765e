import type { Notice } from '../../../shared/ipc';
import type { SecretStore } from '../ports';
import { EncryptedFileSecretStore, type Encryptor } from './encrypted-file-secret-store';
import { KeytarSecretStore } from './keytar-secret-store';

/** Keytar when the OS keychain answers, else the encrypted file, with a notice the UI shows. */
export async function openSecretStore(fallbackFile: string, encryptor: Encryptor): Promise<{ store: SecretStore; notice: Notice | null }> {
  const keychain = await KeytarSecretStore.open();
  if ('store' in keychain) return { store: keychain.store, notice: null };
  return {
    store: new EncryptedFileSecretStore(fallbackFile, encryptor),
    notice: {
      level: 'warning',
      code: 'keychain_unavailable',
      message: `The OS keychain is not available (${keychain.error}). Sign-in tokens are kept in ${encryptor.description} instead.`,
    },
  };
}

/** One keychain account per server profile and user. */
export const secretAccount = (profileId: string, email: string) => `${profileId}:${email}`;
