import type { Notice } from '../../../shared/ipc';
import type { SecretStore } from '../ports';
import { EncryptedFileSecretStore, type Encryptor } from './encrypted-file-secret-store';
import { KeytarSecretStore } from './keytar-secret-store';

/** The notice for the fallback: where tokens are, and plainly whether the OS protects them. */
export function fallbackNotice(reason: string, encryptor: Encryptor): Notice {
  const where = `The OS keychain is not available (${reason}). Sign-in tokens are kept in ${encryptor.description} instead.`;
  return {
    level: 'warning',
    code: 'keychain_unavailable',
    message: encryptor.osProtected ? where : `${where} ${encryptor.warning ?? ''}`.trim(),
  };
}

/** Keytar when the OS keychain answers, else the encrypted file, with a notice the UI shows. */
export async function openSecretStore(fallbackFile: string, encryptor: Encryptor): Promise<{ store: SecretStore; notice: Notice | null }> {
  const keychain = await KeytarSecretStore.open();
  if ('store' in keychain) return { store: keychain.store, notice: null };
  return {
    store: new EncryptedFileSecretStore(fallbackFile, encryptor, { fallbackReason: keychain.error }),
    notice: fallbackNotice(keychain.error, encryptor),
  };
}

/** One keychain account per server profile and user. */
export const secretAccount = (profileId: string, email: string) => `${profileId}:${email}`;
