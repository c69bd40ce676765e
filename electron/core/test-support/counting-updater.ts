import type { UpdateStatus } from '../../../shared/ipc';
import type { Updater } from '../ports';

/** An Updater that counts checks (electron-updater itself needs a packaged Electron app). */
export class CountingUpdater implements Updater {
  readonly supported = true;
  checks = 0;
  channel = 'stable';
  private s: UpdateStatus = { state: 'idle', currentVersion: '1.0.0', availableVersion: null, progress: null, message: null, checkedAt: null };
  feed: string | null = null;
  setChannel(c: 'stable' | 'beta') {
    this.channel = c;
  }
  setFeed(url: string | null) {
    this.feed = url;
  }
  async check() {
    this.checks++;
    if (this.checks === 2) throw new Error('feed unreachable');
    this.s = { ...this.s, state: 'up_to_date', checkedAt: this.checks };
    return this.s;
  }
  status() {
    return this.s;
  }
  onStatus() {}
  install() {}
}
