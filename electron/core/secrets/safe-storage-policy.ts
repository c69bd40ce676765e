/**
 * How the keychain fallback's file is protected, decided from what Electron's safeStorage reports
 * (electron/main asks it; the decision stays here, without Electron, so it is tested on its own).
 * On Linux safeStorage silently falls back to its `basic_text` backend, a hard-coded password, when
 * no keyring (libsecret, KWallet) answers: that protects nothing, so a random local key is used
 * instead and the user is told plainly.
 */
export interface SafeStorageFacts {
  platform: NodeJS.Platform;
  encryptionAvailable: boolean;
  /** `safeStorage.getSelectedStorageBackend()` on Linux, null elsewhere. */
  backend: string | null;
}

export interface SafeStorageChoice {
  use: 'safe-storage' | 'local-key';
  osProtected: boolean;
  description: string;
  /** Said in the notice and in Settings when tokens are not protected by the OS. */
  warning: string | null;
}

const KEYRING_BACKENDS = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);
export const NOT_OS_PROTECTED = 'Sign-in tokens are not protected by the OS: anyone who can read your app data folder can use them.';

export function assessSafeStorage(f: SafeStorageFacts): SafeStorageChoice {
  const localKey = (why: string): SafeStorageChoice => ({
    use: 'local-key',
    osProtected: false,
    description: 'a file encrypted with a key stored in the app data folder',
    warning: `${NOT_OS_PROTECTED} ${why}`,
  });
  if (!f.encryptionAvailable) return localKey('Electron safeStorage is not available on this system.');
  if (f.platform === 'linux' && !KEYRING_BACKENDS.has(f.backend ?? '')) {
    return localKey(
      `Electron safeStorage found no keyring on this desktop (its "${f.backend ?? 'unknown'}" backend${f.backend === 'basic_text' ? ' uses a built-in password' : ''}). Install and unlock GNOME Keyring or KWallet, then restart OpsDesk.`,
    );
  }
  return { use: 'safe-storage', osProtected: true, description: 'a file in the app data folder encrypted with Electron safeStorage (OS-protected key)', warning: null };
}
