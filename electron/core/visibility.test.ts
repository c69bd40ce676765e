import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../backend/test-support/harness';
import type { HelpdeskFixture } from '../../backend/test-support/helpdesk-fixture';
import { DesktopCore } from './desktop-core';
import { APP_ROOT } from './test-support/backend-process';
import { fileSecrets, tmpDir } from './test-support/fixtures';
import { NoopUpdater } from './updates/update-scheduler';
import { coreStack, fixtureServer } from './test-support/stack';

let server: TestServer;
let f: HelpdeskFixture;
let n = 0;
const PASSWORD = 'a-long-test-password-1';
const cores: DesktopCore[] = [];

beforeAll(async () => {
  ({ server, f, n } = await fixtureServer());
}, 60_000);
afterAll(async () => {
  for (const c of cores) await c.shutdown();
  await server?.dispose();
});

const comments = async (ticketId: string) => (await server.api('GET', `/api/v1/tickets/${ticketId}/comments`, { token: f.admin.accessToken })).body as { body: string; authorId: string | null }[];

describe('desktop visibility', () => {
  it('an offline item carries its author and is never replayed under another user’s token', async () => {
    const t = await f.createTicket(f.agentA.accessToken, { subject: 'Shared desk PC' });
    const core = await coreStack(server.url, `a${n}@example.com`, PASSWORD);
    await core.sync.run();
    core.outbox.comment(t.id, 'written by A', false, core.session.user);
    expect(core.cache.outbox.open()[0]).toMatchObject({ author_id: f.agentA.id });
    await core.session.logout();
    // Someone else signs in on the same profile before A's item went out.
    await core.session.login(`oncall${n}@example.com`, PASSWORD);
    await core.outbox.replay();
    expect((await comments(t.id)).map((c) => c.body)).not.toContain('written by A');
    expect(core.outbox.list()).toEqual([]);
    expect(core.outbox.counts()).toEqual({ pending: 0, failed: 0, conflicts: 0 });
    // Only the oncall's own items go out under the oncall's token.
    core.outbox.comment(t.id, 'written by oncall', true, core.session.user);
    await core.outbox.replay();
    expect((await comments(t.id)).find((c) => c.body === 'written by oncall')?.authorId).toBeTruthy();
    await core.session.logout();
    // A is back: A's item goes out, as A.
    await core.session.login(`a${n}@example.com`, PASSWORD);
    await core.outbox.replay();
    expect((await comments(t.id)).find((c) => c.body === 'written by A')?.authorId).toBe(f.agentA.id);
    expect(core.cache.outbox.open()).toEqual([]);
    core.close();
  });

  it('a user whose role shrinks loses from the desktop cache what they may no longer see', async () => {
    const hidden = await f.createTicket(f.admin.accessToken, { subject: 'Only the DBAs may read this', queueId: f.q2.id });
    expect((await server.api('POST', '/api/v1/alerts', { token: f.admin.accessToken, body: { name: 'disk_full_demoted', severity: 'high', summary: 'Disk at 97%', labels: { host: 'db9' } } })).status).toBe(201);
    const email = `demoted${n}@example.com`;
    const created = await server.api<{ id: string }>('POST', '/api/v1/users', { token: f.admin.accessToken, body: { email, name: 'Demoted', role: 'oncall', password: PASSWORD } });
    expect(created.status).toBe(201);
    await server.api('POST', `/api/v1/queues/${f.q1.id}/members`, { token: f.admin.accessToken, body: { userId: created.body.id } });

    const userData = tmpDir();
    const core = new DesktopCore({ paths: { userData, appRoot: APP_ROOT }, secrets: fileSecrets(userData), notifier: { show: () => undefined }, updater: new NoopUpdater('0.1.0'), transport: 'host', version: '0.1.0' });
    cores.push(core);
    const added = (await core.dispatch('profiles.addServer', { name: 'Team', url: server.url })) as { value: { id: string } };
    await core.dispatch('profiles.activate', { id: added.value.id });
    expect(await core.dispatch('session.login', { email, password: PASSWORD })).toMatchObject({ ok: true });
    await core.dispatch('sync.now', undefined);
    const listed = async () => ((await core.dispatch('tickets.list', { limit: 500 })) as { value: { items: { id: string }[] } }).value.items.map((t) => t.id);
    const alerts = async () => ((await core.dispatch('alerts.list', {})) as { value: { items: unknown[] } }).value.items;
    expect(await listed()).toContain(hidden.id);
    expect((await alerts()).length).toBeGreaterThan(0);

    expect((await server.api('PATCH', `/api/v1/users/${created.body.id}`, { token: f.admin.accessToken, body: { role: 'agent' } })).status).toBe(200);
    await core.dispatch('session.logout', undefined);
    expect(await core.dispatch('session.login', { email, password: PASSWORD })).toMatchObject({ ok: true });
    await core.dispatch('sync.now', undefined);
    expect(await listed()).not.toContain(hidden.id);
    expect(await alerts()).toEqual([]);
    const q1 = await server.services.database.db.selectFrom('tickets').select('id').where('queue_id', '=', f.q1.id).execute();
    expect((await listed()).sort()).toEqual(q1.map((r) => r.id).sort());
    // Leaving the queue drops its tickets too.
    expect((await server.api('DELETE', `/api/v1/queues/${f.q1.id}/members/${created.body.id}`, { token: f.admin.accessToken })).status).toBe(200);
    await core.dispatch('sync.now', undefined);
    expect(await listed()).toEqual([]);
  });
});
