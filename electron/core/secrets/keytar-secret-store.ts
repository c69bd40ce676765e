import type { SecretStorageStatus } from '../../../shared/ipc';
import type { SecretStore } from '../ports';

export const KEYCHAIN_SERVICE = 'OpsDesk';

type Keytar = {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
};

/** The OS keychain through keytar (libsecret / Keychain / Credential Vault). */
export class KeytarSecretStore implements SecretStore {
  readonly kind = 'keychain' as const;
  private constructor(
    private readonly keytar: Keytar,
    private readonly service: string,
  ) {}

  /** Loads keytar and proves the keychain answers; null when it does not (no Secret Service, locked…). */
  static async open(service = KEYCHAIN_SERVICE): Promise<{ store: KeytarSecretStore } | { error: string }> {
    let keytar: Keytar;
    try {
      const mod = (await import('keytar')) as unknown as Keytar & { default?: Keytar };
      keytar = mod.default ?? mod;
    } catch (err) {
      return { error: `keytar could not be loaded: ${(err as Error).message}` };
    }
    try {
      // A read of an absent account touches the Secret Service without prompting.
      await withTimeout(keytar.getPassword(service, '__probe__'), 5000);
    } catch (err) {
      return { error: (err as Error).message };
    }
    return { store: new KeytarSecretStore(keytar, service) };
  }

  status(): SecretStorageStatus {
    return { kind: this.kind, osProtected: true, description: 'the OS keychain', fallbackReason: null, problem: null };
  }

  get(account: string): Promise<string | null> {
    return this.keytar.getPassword(this.service, account);
  }
  set(account: string, secret: string): Promise<void> {
    return this.keytar.setPassword(this.service, account, secret);
  }
  delete(account: string): Promise<boolean> {
    return this.keytar.deletePassword(this.service, account);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}
