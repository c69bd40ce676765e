import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../backend/test-support/harness';
import type { HelpdeskFixture } from '../../backend/test-support/helpdesk-fixture';
import { routePath } from './api/route-forwarder';
import { saveDownload } from './downloads';
import { coreStack, fixtureServer } from './test-support/stack';
import { tmpDir } from './test-support/fixtures';

let server: TestServer;
let f: HelpdeskFixture;
let n = 0;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

beforeAll(async () => {
  ({ server, f, n } = await fixtureServer());
}, 60_000);
afterAll(() => server?.dispose());

describe('attachments in the desktop core', () => {
  it('a file added offline waits in the outbox with its reply, then its metadata is cached and its content fetched on demand', async () => {
    const t = await f.createTicket(f.agentA.accessToken, { subject: 'Printer shows an error code' });
    const core = await coreStack(server.url, `a${n}@example.com`, 'a-long-test-password-1');
    await core.sync.run();
    const local = core.outbox.comment(t.id, 'Photo of the display attached', false, core.session.user, [{ filename: 'display.png', data: PNG.toString('base64') }]);
    expect(local.attachments).toMatchObject([{ filename: 'display.png', size: PNG.length, pending: true }]);
    expect(core.outbox.list()).toMatchObject([{ kind: 'ticket.comment', state: 'pending' }]);

    await core.outbox.replay();
    await core.sync.run();
    const cached = core.cache.tickets.detail({ id: t.id })!.comments.find((c) => c.body === 'Photo of the display attached')!;
    expect(cached.attachments).toMatchObject([{ filename: 'display.png', contentType: 'image/png', size: PNG.length, pending: false }]);
    expect(cached.attachments[0]!.id).not.toMatch(/^local-/);

    // Offline reading: the metadata stays in the cache; the content is fetched when asked for.
    const res = await core.api.request<Buffer>('GET', routePath('attachments.download', { id: cached.attachments[0]!.id }), { responseType: 'arraybuffer' });
    const dir = tmpDir();
    const saved = saveDownload(dir, '../../display.png', Buffer.from(res.data));
    expect(saved.path).toBe(path.join(dir, 'display.png'));
    expect(readFileSync(saved.path).equals(PNG)).toBe(true);
    expect(saveDownload(dir, 'display.png', PNG).path).toBe(path.join(dir, 'display (2).png'));
    core.close();
  });
});
