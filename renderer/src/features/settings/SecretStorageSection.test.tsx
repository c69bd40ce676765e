// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelResponse, SecretStorageStatus } from '../../../../shared/ipc';
import { TestBridge } from '../../test-support/fake-bridge';
import { SecretStorageSection } from './SecretStorageSection';
import { useSettingsScreen } from './slice';

function install(secretStorage: SecretStorageStatus | null) {
  const info: ChannelResponse<'app.info'> | undefined = secretStorage
    ? {
        version: '0.1.0',
        platform: 'linux',
        transport: 'host',
        runtime: { node: '24', electron: null },
        secretStorage,
      }
    : undefined;
  new TestBridge(info ? { 'app.info': info } : {}).install();
  useSettingsScreen.setState(useSettingsScreen.getInitialState());
}
afterEach(cleanup);

describe('Settings: where sign-in tokens are kept', () => {
  it('says plainly, and for good, that tokens in the fallback file are not protected by the OS', async () => {
    install({
      kind: 'encrypted-file',
      osProtected: false,
      description: 'a file encrypted with a key stored in the app data folder',
      fallbackReason: 'Cannot autolaunch D-Bus without X11 $DISPLAY',
      problem: null,
    });
    render(<SecretStorageSection />);
    const box = await screen.findByTestId('secret-storage');
    expect(box.textContent).toMatch(
      /OS keychain is not available \(Cannot autolaunch D-Bus without X11 \$DISPLAY\)/,
    );
    expect(box.textContent).toMatch(/not protected by the OS/);
    expect(box.className).toContain('warning');
    expect(screen.queryByRole('button', { name: /dismiss/i })).toBeNull();
  });

  it('shows a file that could not be decrypted, and nothing alarming for the keychain', async () => {
    install({
      kind: 'encrypted-file',
      osProtected: true,
      description: 'a file encrypted with Electron safeStorage',
      fallbackReason: 'locked',
      problem: 'Saved sign-ins could not be decrypted; the old file was kept as secrets.bin.unreadable-1.',
    });
    render(<SecretStorageSection />);
    expect((await screen.findByRole('alert')).textContent).toMatch(/could not be decrypted/);
    expect(screen.getByTestId('secret-storage').textContent).not.toMatch(/not protected by the OS/);
    cleanup();
    install({
      kind: 'keychain',
      osProtected: true,
      description: 'the OS keychain',
      fallbackReason: null,
      problem: null,
    });
    render(<SecretStorageSection />);
    expect((await screen.findByTestId('secret-storage')).textContent).toMatch(/kept in the OS keychain/);
  });

  it('shows the error when the status cannot be read', async () => {
    install(null);
    render(<SecretStorageSection />);
    expect((await screen.findByRole('alert')).textContent).toMatch(/no answer for app.info/);
  });
});
