import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../../backend/test-support/harness';
import type { HelpdeskFixture } from '../../../backend/test-support/helpdesk-fixture';
import { Cache } from '../cache/cache';
import { migrateCache } from '../cache/migrations';
import { tmpDir } from '../test-support/fixtures';
import { coreStack, fixtureServer } from '../test-support/stack';

let server: TestServer;
let f: HelpdeskFixture;
let email: (who: 'a' | 'b' | 'oncall') => string;
const PASSWORD = 'a-long-test-password-1';

beforeAll(async () => {
  ({ server, f, email } = await fixtureServer());
}, 60_000);
afterAll(async () => {
  await server?.dispose();
});

const sort = { field: 'slaDue', dir: 'asc' } as const;
const serverViews = async (token: string) => (await server.api('GET', '/api/v1/views', { token })).body as { id: string; name: string; shared: boolean; filter: unknown; sort: string }[];

describe('saved views through the outbox, against the real backend', () => {
  it('a view queued in the outbox (as offline) reaches the server, then the same person’s other machine; its id is kept', async () => {
    const laptop = await coreStack(server.url, email('a'), PASSWORD);
    const desk = await coreStack(server.url, email('a'), PASSWORD);
    await desk.sync.run();
    const saved = laptop.outbox.views.save({ name: 'Urgent VPN', filter: { priority: ['critical'], text: 'vpn', queueId: f.q1.id }, sort, shared: false }, laptop.session.user);
    expect(laptop.cache.savedViews().find((v) => v.id === saved.id)).toMatchObject({ pending: true });
    expect(laptop.outbox.counts().pending).toBe(1);
    await laptop.outbox.replay();
    expect(laptop.outbox.counts().pending).toBe(0);
    expect(laptop.cache.savedViews().find((v) => v.id === saved.id)).toMatchObject({ pending: false, name: 'Urgent VPN' });
    const onServer = (await serverViews(f.agentA.accessToken)).find((v) => v.id === saved.id);
    expect(onServer).toMatchObject({ filter: { priority: ['critical'], q: 'vpn', queue: f.q1.id }, sort: 'due', shared: false });

    await desk.sync.run();
    expect(desk.cache.savedViews().find((v) => v.id === saved.id)).toMatchObject({ name: 'Urgent VPN', filter: { priority: ['critical'], text: 'vpn', queueId: f.q1.id }, sort });
    // Removing it on the desk removes it everywhere.
    desk.outbox.views.remove(saved.id, desk.session.user);
    await desk.outbox.replay();
    await laptop.sync.run();
    expect(laptop.cache.savedViews().some((v) => v.id === saved.id)).toBe(false);
    // Another agent never sees a personal view; a shared one of someone else cannot be changed here.
    const b = await coreStack(server.url, email('b'), PASSWORD);
    const shared = laptop.outbox.views.save({ name: 'Team queue', filter: {}, sort, shared: true }, laptop.session.user);
    await laptop.outbox.replay();
    await b.sync.run();
    expect(b.cache.savedViews().find((v) => v.id === shared.id)).toMatchObject({ shared: true, ownerId: f.agentA.id });
    expect(() => b.outbox.views.save({ id: shared.id, name: 'Mine', filter: {}, sort, shared: true }, b.session.user)).toThrow(/Only .* can change/);
    for (const c of [laptop, desk, b]) c.close();
  });

  it('uploads the views a cache kept before they lived on the server, once, as the signed-in user’s', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'cache.db');
    // A cache at version 8 with a view saved the old way (local only).
    const old = new Database(file);
    migrateCache(old, 8);
    old.prepare("INSERT INTO saved_views (id, name, data, origin) VALUES ('view-legacy', 'My printers', ?, 'local')").run(JSON.stringify({ id: 'view-legacy', name: 'My printers', builtIn: false, filter: { tag: 'printer' }, sort }));
    old.close();
    const { cache } = Cache.open(file);
    expect(cache.savedViews()).toEqual([]);
    expect(cache.legacyViews().map((v) => v.name)).toEqual(['My printers']);
    cache.close();

    const core = await coreStack(server.url, email('a'), PASSWORD, { cacheFile: file });
    expect(core.outbox.views.adoptLegacy(core.session.user!)).toBe(1);
    expect(core.outbox.views.adoptLegacy(core.session.user!)).toBe(0);
    await core.outbox.replay();
    const mine = (await serverViews(f.agentA.accessToken)).filter((v) => v.name === 'My printers');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.filter).toEqual({ tag: 'printer' });
    expect(core.cache.savedViews().filter((v) => v.name === 'My printers')).toMatchObject([{ id: mine[0]!.id, pending: false }]);
    core.close();
  });
});
