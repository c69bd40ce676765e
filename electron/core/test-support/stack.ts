import path from 'node:path';
import { ApiClient } from '../api/api-client';
import { Cache } from '../cache/cache';
import { LiveFeed } from '../live/live-feed';
import { Outbox } from '../outbox/outbox';
import { systemClock } from '../ports';
import { Session } from '../session/session';
import { SyncEngine } from '../sync/sync-engine';
import { fileSecrets, memoryPersistence, tmpDir } from './fixtures';

/** The core's pieces wired the way Workspace wires them, against a real server URL. */
export async function coreStack(url: string, email: string, password: string, options: { pageSize?: number } = {}) {
  const dir = tmpDir();
  const { cache } = Cache.open(path.join(dir, 'cache.db'));
  const api = new ApiClient(url, { backoffMs: 20, maxRetries: 1 });
  const session = new Session('p', api, fileSecrets(dir), memoryPersistence(), systemClock);
  const outbox = new Outbox(cache, api, systemClock, () => session.owner);
  const sync = new SyncEngine(cache, api, outbox, { pageSize: options.pageSize ?? 500 });
  const live = new LiveFeed({ baseUrl: url, token: () => session.freshAccessToken(), tokenRejected: () => session.invalidateAccessToken(), cursor: () => cache.syncCursor }, { minDelayMs: 100, maxDelayMs: 500 });
  live.on('catchUp', () => void sync.run().catch(() => undefined));
  await session.login(email, password);
  return { dir, cache, api, session, outbox, sync, live, close: () => (live.stop(), cache.close()) };
}

export async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 25));
  }
}
