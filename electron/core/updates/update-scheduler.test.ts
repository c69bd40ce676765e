import { describe, expect, it } from 'vitest';
import type { UpdateStatus } from '../../../shared/ipc';
import type { Updater } from '../ports';
import { NoopUpdater, UPDATE_INTERVAL_MS, UpdateScheduler } from './update-scheduler';

/** An Updater that counts checks (electron-updater itself needs a packaged Electron app). */
class CountingUpdater implements Updater {
  readonly supported = true;
  checks = 0;
  channel = 'stable';
  private s: UpdateStatus = { state: 'idle', currentVersion: '1.0.0', availableVersion: null, progress: null, message: null, checkedAt: null };
  setChannel(c: 'stable' | 'beta') {
    this.channel = c;
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

describe('UpdateScheduler', () => {
  it('checks every four hours by default', () => {
    expect(UPDATE_INTERVAL_MS).toBe(4 * 60 * 60 * 1000);
  });

  it('checks at start and on every interval, keeping errors in the status', async () => {
    const updater = new CountingUpdater();
    const scheduler = new UpdateScheduler(updater, 40);
    scheduler.start();
    await new Promise((r) => setTimeout(r, 150));
    scheduler.stop();
    expect(updater.checks).toBeGreaterThanOrEqual(3);
    const manual = new UpdateScheduler({ ...updater, supported: true, check: async () => Promise.reject(new Error('offline')), status: () => updater.status() } as unknown as Updater);
    expect(await manual.check()).toMatchObject({ state: 'error', message: 'offline' });
  });

  it('does nothing outside Electron', async () => {
    const noop = new NoopUpdater('0.1.0');
    const scheduler = new UpdateScheduler(noop, 10);
    scheduler.start();
    expect(await scheduler.check()).toMatchObject({ state: 'unsupported', currentVersion: '0.1.0' });
    scheduler.stop();
  });
});
