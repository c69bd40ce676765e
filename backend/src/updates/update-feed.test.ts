import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { UpdateInfo } from 'electron-updater';
import { parseUpdateInfo, resolveFiles } from 'electron-updater/out/providers/Provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserAndLogin, startTestServer, tempDir, type TestServer } from '../../test-support/harness';

const root = path.resolve(import.meta.dirname, '../../..');
let server: TestServer;
let admin: string;
let agent: string;

/** `npm run cli -- publish-update …` against the server's data folder and database (compiled CLI, as shipped). */
function publish(args: string[]) {
  const r = spawnSync(process.execPath, ['out/backend/cli.js', 'publish-update', ...args], {
    cwd: root,
    env: { ...process.env, DATA_DIR: server.config.DATA_DIR, DATABASE_URL: server.config.DATABASE_URL, LOG_LEVEL: 'silent' },
  });
  return { code: r.status, out: r.stdout.toString(), err: r.stderr.toString() };
}

/** Reads a feed file the way electron-updater's generic provider does. */
async function feed(channel: string, file = 'latest-linux.yml') {
  const url = `${server.url}/updates/${channel}/${file}`;
  const res = await fetch(url);
  return { status: res.status, info: res.ok ? (parseUpdateInfo(await res.text(), file, new URL(url)) as UpdateInfo) : null, headers: res.headers };
}

beforeAll(async () => {
  server = await startTestServer('sqlite');
  admin = (await createUserAndLogin(server, { email: 'root@example.com', password: 'copper-meadow-signal-81', role: 'admin' })).accessToken;
  agent = (await createUserAndLogin(server, { email: 'agent@example.com', password: 'lantern-mosaic-river-52', role: 'agent' })).accessToken;
}, 60_000);
afterAll(() => server?.dispose());

describe('the update feed OpsDesk serves', () => {
  it('publishes a real installer with the CLI; electron-updater reads the feed, downloads the file and its sha512 matches', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const bytes = randomBytes(300_000);
    const installer = path.join(dir, 'OpsDesk-1.2.0-x86_64.AppImage');
    writeFileSync(installer, bytes);
    const r = publish([installer, '--channel', 'beta', '--version', '1.2.0', '--rollout', '25', '--notes', 'Beta: new queue view']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Published 1.2.0 for linux on beta to 25% of installs');

    const { status, info, headers } = await feed('beta');
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-cache');
    expect(info).toMatchObject({ version: '1.2.0', stagingPercentage: 25, releaseNotes: 'Beta: new queue view' });
    const [file] = resolveFiles(info!, new URL(`${server.url}/updates/beta/`));
    const download = Buffer.from(await (await fetch(file!.url)).arrayBuffer());
    const sha512 = createHash('sha512').update(download).digest('base64');
    expect(download.equals(bytes)).toBe(true);
    expect(file!.info.sha512).toBe(sha512);
    expect(file!.info.size).toBe(bytes.length);

    // Channels are separate feeds; other platforms have nothing yet.
    expect((await feed('stable')).status).toBe(404);
    expect((await feed('beta', 'latest.yml')).status).toBe(404);
  });

  // Six runs of the compiled CLI, each opening the database.
  it('refuses a version that is not newer, bad names and unknown platforms, with clear errors', { timeout: 120_000 }, () => {
    const dir = tempDir();
    const same = path.join(dir, 'OpsDesk-1.2.0-x86_64.AppImage');
    writeFileSync(same, 'x');
    expect(publish([same, '--channel', 'beta', '--version', '1.2.0'])).toMatchObject({ code: 1, err: expect.stringContaining('already offers 1.2.0') });
    expect(publish([same, '--channel', 'beta', '--version', '1.1.9'])).toMatchObject({ code: 1, err: expect.stringContaining('publish a higher version') });
    expect(publish([same, '--channel', 'nightly', '--version', '1.3.0'])).toMatchObject({ code: 2, err: expect.stringContaining('--channel must be stable or beta') });
    expect(publish([same, '--channel', 'beta', '--version', 'one'])).toMatchObject({ code: 1, err: expect.stringContaining('not a version') });
    const odd = path.join(dir, 'notes.txt');
    writeFileSync(odd, 'x');
    expect(publish([odd, '--channel', 'beta', '--version', '1.3.0'])).toMatchObject({ code: 1, err: expect.stringContaining('--platform') });
    expect(publish([path.join(dir, 'missing.exe'), '--channel', 'beta', '--version', '1.3.0'])).toMatchObject({ code: 1, err: expect.stringContaining('does not exist') });
  });

  it('admins steer the staged rollout; others may not; the feed serves nothing outside its folders', async () => {
    const put = (token: string, percentage: number) =>
      server.api('PUT', '/api/v1/updates/beta/linux/rollout', { token, body: { percentage } });
    expect((await put(agent, 100)).status).toBe(403);
    const full = await put(admin, 100);
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({ channel: 'beta', platform: 'linux', version: '1.2.0', rolloutPercentage: 100 });
    expect((await feed('beta')).info!.stagingPercentage).toBeUndefined();
    expect((await server.api('PUT', '/api/v1/updates/stable/mac/rollout', { token: admin, body: { percentage: 10 } })).status).toBe(404);
    const list = await server.api('GET', '/api/v1/updates', { token: admin });
    expect(list.body).toEqual([expect.objectContaining({ channel: 'beta', platform: 'linux', version: '1.2.0', notes: 'Beta: new queue view' })]);
    const audit = await server.api('GET', '/api/v1/audit?action=update.rollout_changed', { token: admin });
    expect(JSON.stringify(audit.body)).toContain('beta/linux');
    for (const bad of ['/updates/beta/..%2F..%2Fopsdesk.db', '/updates/nightly/latest.yml', '/updates/beta/.hidden', '/updates/beta/latest-linux.yml.tmp']) {
      expect((await fetch(`${server.url}${bad}`)).status).toBe(404);
    }
  });
});

describe('publishing from the app: installers uploaded in chunks', () => {
  const CHUNK = 2 * 1024 * 1024;
  const start = (token: string, name: string, size: number) => server.api('POST', '/api/v1/updates/uploads', { token, body: { name, size } });
  const append = (token: string, id: string, offset: number, bytes: Buffer) =>
    server.api('PUT', `/api/v1/updates/uploads/${id}`, { token, body: { offset, data: bytes.toString('base64') } });

  it('an admin uploads a 5 MB installer chunk by chunk, resumes after a wrong offset, publishes it; the feed serves it with its sha512', { timeout: 60_000 }, async () => {
    const bytes = randomBytes(5 * 1024 * 1024 + 123);
    expect((await start(agent, 'OpsDesk-Setup-2.0.0.exe', bytes.length)).status).toBe(403);
    expect((await start(admin, '../OpsDesk.exe', bytes.length)).status).toBe(400);
    const started = await start(admin, 'OpsDesk-Setup-2.0.0.exe', bytes.length);
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    expect(started.body).toMatchObject({ name: 'OpsDesk-Setup-2.0.0.exe', size: bytes.length, received: 0 });

    expect((await append(admin, id, 0, bytes.subarray(0, CHUNK))).body).toMatchObject({ received: CHUNK });
    // A retried chunk (its answer was lost) must not be appended twice: the server names the offset it holds.
    const retried = await append(admin, id, 0, bytes.subarray(0, CHUNK));
    expect(retried.status).toBe(409);
    expect(retried.body.details).toEqual({ received: CHUNK });
    expect((await append(agent, id, CHUNK, bytes.subarray(CHUNK, 2 * CHUNK))).status).toBe(403);
    // Publishing before the last byte is refused, and names what is missing.
    const early = await server.api('POST', '/api/v1/updates/stable/releases', { token: admin, body: { version: '2.0.0', uploadIds: [id] } });
    expect(early.status).toBe(400);
    expect(early.body.message).toContain(`${CHUNK} of ${bytes.length} bytes`);
    for (let offset = CHUNK; offset < bytes.length; offset += CHUNK) {
      expect((await append(admin, id, offset, bytes.subarray(offset, offset + CHUNK))).status).toBe(200);
    }
    // Nothing beyond the announced size.
    expect((await append(admin, id, bytes.length, Buffer.from('x'))).status).toBe(400);

    const published = await server.api('POST', '/api/v1/updates/stable/releases', { token: admin, body: { version: '2.0.0', uploadIds: [id], rollout: 10, notes: 'From the app' } });
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    const sha512 = createHash('sha512').update(bytes).digest('base64');
    expect(published.body).toMatchObject({ channel: 'stable', platform: 'windows', version: '2.0.0', rolloutPercentage: 10, files: [{ name: 'OpsDesk-Setup-2.0.0.exe', size: bytes.length, sha512 }] });
    const { info } = await feed('stable', 'latest.yml');
    expect(info).toMatchObject({ version: '2.0.0', stagingPercentage: 10 });
    const [file] = resolveFiles(info!, new URL(`${server.url}/updates/stable/`));
    expect(Buffer.from(await (await fetch(file!.url)).arrayBuffer()).equals(bytes)).toBe(true);
    expect(file!.info.sha512).toBe(sha512);

    // The upload is gone once published; the staging folder is never part of the feed.
    expect((await append(admin, id, bytes.length, Buffer.from('x'))).status).toBe(404);
    expect((await fetch(`${server.url}/updates/.uploads/${id}`)).status).toBe(404);
    const audit = await server.api('GET', '/api/v1/audit?action=update.published', { token: admin });
    expect(JSON.stringify(audit.body)).toContain('stable/windows');
  });

  it('refuses chunks over 2 MiB, data that is not base64 and unknown uploads', async () => {
    const { body } = await start(admin, 'OpsDesk-2.1.0.dmg', 3 * CHUNK);
    expect((await append(admin, body.id as string, 0, randomBytes(CHUNK + 1))).status).toBe(400);
    expect((await server.api('PUT', `/api/v1/updates/uploads/${body.id}`, { token: admin, body: { offset: 0, data: 'not base64!' } })).status).toBe(400);
    expect((await append(admin, '00000000-0000-4000-8000-000000000000', 0, Buffer.from('x'))).status).toBe(404);
    expect((await server.api('DELETE', `/api/v1/updates/uploads/${body.id}`, { token: admin })).status).toBe(204);
    expect((await append(admin, body.id as string, 0, Buffer.from('x'))).status).toBe(404);
  });
});
