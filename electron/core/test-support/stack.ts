import path from 'node:path';
import { startTestServer, type TestServer } from '../../../backend/test-support/harness';
import { helpdeskFixture, type HelpdeskFixture } from '../../../backend/test-support/helpdesk-fixture';
import { ApiClient } from '../api/api-client';
import { Cache } from '../cache/cache';
import { LiveFeed } from '../live/live-feed';
import { Outbox } from '../outbox/outbox';
import { systemClock } from '../ports';
import { Session } from '../session/session';
import { SyncEngine } from '../sync/sync-engine';
import { fileSecrets, memoryPersistence, tmpDir } from './fixtures';

/** The core's pieces wired the way Workspace wires them, against a real server URL. */
export async function coreStack(url: string, email: string, password: string, options: { pageSize?: number; cacheFile?: string; snapshot?: boolean; snapshotBatch?: number } = {}) {
  const dir = tmpDir();
  const { cache } = Cache.open(options.cacheFile ?? path.join(dir, 'cache.db'));
  const api = new ApiClient(url, { backoffMs: 20, maxRetries: 1 });
  const session = new Session('p', api, fileSecrets(dir), memoryPersistence(), systemClock);
  const outbox = new Outbox(cache, api, systemClock, () => session.owner);
  const sync = new SyncEngine(cache, api, outbox, { pageSize: options.pageSize ?? 500, snapshot: options.snapshot, snapshotBatch: options.snapshotBatch });
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

/** A real backend (SQLite) with the helpdesk fixture, and the fixture's users' sign-in emails. */
export async function fixtureServer(): Promise<{ server: TestServer; f: HelpdeskFixture; n: number; email: (who: 'a' | 'b' | 'oncall') => string }> {
  const server = await startTestServer('sqlite', { env: { LOGIN_IP_MAX_PER_MINUTE: '100000' } });
  const f = await helpdeskFixture(server);
  const n = Number((await server.api('GET', '/api/v1/me', { token: f.agentA.accessToken })).body.email.replace(/^a(\d+)@.*/, '$1'));
  return { server, f, n, email: (who) => `${who}${n}@example.com` };
}
