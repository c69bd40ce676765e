import electronUpdater from 'electron-updater';
import type { UpdateChannel } from '../../../shared/domain/updates';
import type { UpdateStatus } from '../../../shared/ipc';
import type { Updater } from '../../core/ports';

/** electron-updater behind the core's Updater port: background download, install only when asked. */
export class ElectronUpdaterAdapter implements Updater {
  readonly supported = true;
  private current: UpdateStatus;
  private readonly listeners: ((s: UpdateStatus) => void)[] = [];
  private readonly updater = electronUpdater.autoUpdater;
  private feedUrl: string | null = null;
  private channel: UpdateChannel = 'stable';

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

  setFeed(url: string | null): void {
    // null keeps the feed electron-builder wrote into the app (app-update.yml). electron-updater has
    // no way back to it once a feed was set, so a switch from a server to a local workspace keeps
    // the server's feed until the app restarts.
    if (url && url !== this.feedUrl) this.updater.setFeedURL({ provider: 'generic', url });
    if (url) this.feedUrl = url;
    this.applyChannel();
  }

  setChannel(channel: UpdateChannel): void {
    this.channel = channel;
    this.applyChannel();
  }

  /** A server's feed has a folder per channel (…/updates/<channel>/latest*.yml); the built-in one names files by channel. */
  private applyChannel(): void {
    this.updater.channel = this.feedUrl || this.channel === 'stable' ? 'latest' : 'beta';
    this.updater.allowPrerelease = this.channel === 'beta';
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
