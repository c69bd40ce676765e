import type { UpdateChannel } from '../../shared/domain/updates';
import type { Notice, SecretStorageStatus, ShownNotification, UpdateStatus } from '../../shared/ipc';

/**
 * The platform services the core needs, as small interfaces. Electron adapters live in
 * electron/main; Node adapters (host, tests) beside the core. Everything is injected.
 */

export interface SecretStore {
  /** 'keychain' for the OS keychain, 'encrypted-file' for the visible fallback. */
  readonly kind: 'keychain' | 'encrypted-file';
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
  /** Where tokens are kept and how well, for Settings. */
  status(): SecretStorageStatus;
  /** Problems found later (a file that cannot be decrypted); the core shows them as notices. */
  onNotice?(listener: (n: Notice) => void): void;
}

export interface Notifier {
  /** Shows a popup; `onClick` and `onAcknowledge` are called when the user acts on it. */
  show(n: ShownNotification, actions: { onClick(): void; onAcknowledge(): void }): void;
}

export interface Updater {
  readonly supported: boolean;
  setChannel(channel: UpdateChannel): void;
  /** The generic feed to check (see updates/update-feed.ts); null: the one built into the app. */
  setFeed(url: string | null): void;
  /** Checks and, when an update exists, downloads it in the background. */
  check(): Promise<UpdateStatus>;
  status(): UpdateStatus;
  onStatus(listener: (s: UpdateStatus) => void): void;
  /** Quits and installs a downloaded update (only after the user agreed). */
  install(): void;
}

export interface Paths {
  /** The app's data folder (Electron's userData; the host's --data-dir). */
  userData: string;
  /** The repository or app root, where out/backend lives (app.asar when packaged). */
  appRoot: string;
}

export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
export const consoleLogger: Logger = {
  info: (m, f) => console.log(`[core] ${m}`, f ?? ''),
  warn: (m, f) => console.warn(`[core] ${m}`, f ?? ''),
  error: (m, f) => console.error(`[core] ${m}`, f ?? ''),
};

export interface Shell {
  /** Opens an http(s) URL in the system browser. */
  openExternal(url: string): Promise<void>;
}
