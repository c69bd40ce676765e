import electronUpdater from 'electron-updater';
import type { UpdateStatus } from '../../../shared/ipc';
import type { Updater } from '../../core/ports';

/** electron-updater behind the core's Updater port: background download, install only when asked. */
export class ElectronUpdaterAdapter implements Updater {
  readonly supported = true;
  private current: UpdateStatus;
  private readonly listeners: ((s: UpdateStatus) => void)[] = [];
  private readonly updater = electronUpdater.autoUpdater;

  constructor(version: string) {
    this.current = { state: 'idle', currentVersion: version, availableVersion: null, progress: null, message: null, checkedAt: null };
    this.updater.autoDownload = true;
    this.updater.autoInstallOnAppQuit = false;
    this.updater.on('checking-for-update', () => this.set({ state: 'checking' }));
    this.updater.on('update-available', (info) => this.set({ state: 'downloading', availableVersion: info.version, progress: 0 }));
    this.updater.on('update-not-available', () => this.set({ state: 'up_to_date', checkedAt: Date.now() }));
    this.updater.on('download-progress', (p) => this.set({ state: 'downloading', progress: Math.round(p.percent) }));
    this.updater.on('update-downloaded', (info) => this.set({ state: 'downloaded', availableVersion: info.version, progress: 100, checkedAt: Date.now() }));
    this.updater.on('error', (err) => this.set({ state: 'error', message: err.message, checkedAt: Date.now() }));
  }

  setChannel(channel: 'stable' | 'beta'): void {
    this.updater.channel = channel === 'beta' ? 'beta' : 'latest';
    this.updater.allowPrerelease = channel === 'beta';
    this.updater.allowDowngrade = false;
  }

  async check(): Promise<UpdateStatus> {
    await this.updater.checkForUpdates();
    return this.current;
  }

  status(): UpdateStatus {
    return this.current;
  }

  onStatus(listener: (s: UpdateStatus) => void): void {
    this.listeners.push(listener);
  }

  install(): void {
    this.updater.quitAndInstall(false, true);
  }

  private set(patch: Partial<UpdateStatus>): void {
    this.current = { ...this.current, ...patch };
    for (const l of this.listeners) l(this.current);
  }
}
