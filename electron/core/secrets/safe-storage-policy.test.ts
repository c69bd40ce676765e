import { describe, expect, it } from 'vitest';
import { assessSafeStorage } from './safe-storage-policy';

describe('choosing how the fallback file is protected', () => {
  it('on Linux, refuses safeStorage on its basic_text backend and says tokens are not protected by the OS', () => {
    const a = assessSafeStorage({ platform: 'linux', encryptionAvailable: true, backend: 'basic_text' });
    expect(a).toMatchObject({ use: 'local-key', osProtected: false });
    expect(a.warning).toMatch(/not protected by the OS/);
    expect(a.warning).toMatch(/basic_text/);
  });

  it('on Linux, uses safeStorage when a keyring backs it (libsecret, KWallet)', () => {
    for (const backend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']) {
      expect(assessSafeStorage({ platform: 'linux', encryptionAvailable: true, backend })).toMatchObject({ use: 'safe-storage', osProtected: true, warning: null });
    }
  });

  it('treats an unknown Linux backend as unprotected', () => {
    expect(assessSafeStorage({ platform: 'linux', encryptionAvailable: true, backend: 'unknown' })).toMatchObject({ use: 'local-key', osProtected: false });
  });

  it('uses safeStorage on macOS and Windows when available, a local key (said plainly) when not', () => {
    expect(assessSafeStorage({ platform: 'darwin', encryptionAvailable: true, backend: null })).toMatchObject({ use: 'safe-storage', osProtected: true });
    const win = assessSafeStorage({ platform: 'win32', encryptionAvailable: false, backend: null });
    expect(win).toMatchObject({ use: 'local-key', osProtected: false });
    expect(win.warning).toMatch(/not protected by the OS/);
  });
});
