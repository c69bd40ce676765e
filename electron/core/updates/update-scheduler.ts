import type { UpdateStatus } from '../../../shared/ipc';
import type { Updater } from '../ports';

export const UPDATE_INTERVAL_MS = 4 * 60 * 60_000;

/** Checks at start and every four hours; errors are kept in the status, never thrown. */
export class UpdateScheduler {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly updater: Updater,
    private readonly intervalMs = UPDATE_INTERVAL_MS,
  ) {}

  start(): void {
    if (!this.updater.supported || this.timer) return;
    void this.check();
    this.timer = setInterval(() => void this.check(), this.intervalMs);
    this.timer.unref();
  }

  check(): Promise<UpdateStatus> {
    return this.updater.check().catch((err: unknown) => ({ ...this.updater.status(), state: 'error' as const, message: (err as Error).message }));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/** Outside Electron (host, tests) there is nothing to update. */
export class NoopUpdater implements Updater {
  readonly supported = false;
  private readonly current: UpdateStatus;
  constructor(version: string) {
    this.current = { state: 'unsupported', currentVersion: version, availableVersion: null, progress: null, message: 'Updates are installed by the desktop app only', checkedAt: null };
  }
  setChannel(): void {}
  setFeed(): void {}
  async check(): Promise<UpdateStatus> {
    return this.current;
  }
  status(): UpdateStatus {
    return this.current;
  }
  onStatus(): void {}
  install(): void {}
}
