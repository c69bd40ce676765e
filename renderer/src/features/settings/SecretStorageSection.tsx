import { useEffect } from 'react';
import type { SecretStorageStatus } from '../../../../shared/ipc';
import { StateView } from '../../ui/feedback';
import { loadSecretStorage, useSettingsScreen } from './slice';

function Status({ s }: { s: SecretStorageStatus }) {
  if (s.kind === 'keychain')
    return (
      <p className="muted" data-testid="secret-storage" style={{ margin: 0 }}>
        Sign-in tokens are kept in the OS keychain.
      </p>
    );
  return (
    <div className={`alert-box ${s.osProtected ? 'info' : 'warning'}`} data-testid="secret-storage">
      <p style={{ margin: 0 }}>
        The OS keychain is not available{s.fallbackReason ? ` (${s.fallbackReason})` : ''}. Sign-in tokens are
        kept in {s.description} instead.
      </p>
      {!s.osProtected && (
        <p style={{ margin: '6px 0 0' }}>
          <strong>They are not protected by the OS:</strong> anyone who can read this computer account’s app
          data folder can use them. Install and unlock a keyring (GNOME Keyring or KWallet on Linux) and
          restart OpsDesk to protect them.
        </p>
      )}
      {s.problem && (
        <p role="alert" style={{ margin: '6px 0 0' }}>
          {s.problem}
        </p>
      )}
    </div>
  );
}

/** Settings → Sign-in tokens: the keychain fallback stays visible here for as long as it is in use. */
export function SecretStorageSection() {
  const res = useSettingsScreen((s) => s.secretStorage);
  useEffect(() => void loadSecretStorage(), []);
  return (
    <StateView
      res={res}
      retry={() => void loadSecretStorage({ fresh: false })}
      empty=""
      isEmpty={() => false}
    >
      {(s) => <Status s={s} />}
    </StateView>
  );
}
