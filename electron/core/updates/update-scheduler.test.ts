import { describe, expect, it } from 'vitest';
import type { Updater } from '../ports';
import { CountingUpdater } from '../test-support/counting-updater';
import { NoopUpdater, UPDATE_INTERVAL_MS, UpdateScheduler } from './update-scheduler';

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
