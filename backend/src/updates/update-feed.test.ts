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

  it('refuses a version that is not newer, bad names and unknown platforms, with clear errors', () => {
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
