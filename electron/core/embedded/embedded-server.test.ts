import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tmpDir } from '../test-support/fixtures';
import { EmbeddedServer } from './embedded-server';

const appRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const servers: EmbeddedServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop(2000);
});

describe('EmbeddedServer', () => {
  it('creates the first admin, starts on 127.0.0.1, restarts after a crash, and stops cleanly', async () => {
    const server = new EmbeddedServer({ appRoot, dataDir: path.join(tmpDir(), 'backend'), minRestartDelayMs: 100 });
    servers.push(server);
    expect(await server.createFirstAdmin({ email: 'owner@example.com', name: 'Owner', password: 'a-long-local-passphrase' })).toBe(true);
    expect(await server.createFirstAdmin({ email: 'other@example.com', name: 'Other', password: 'a-long-local-passphrase' })).toBe(false);

    const url = await server.start();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'owner@example.com', password: 'a-long-local-passphrase' }) });
    expect(login.status).toBe(200);

    const firstPid = server.pid!;
    const restarted = new Promise<string>((resolve) => server.once('restarted', resolve));
    const crashed = new Promise((resolve) => server.once('crashed', resolve));
    process.kill(firstPid, 'SIGKILL');
    expect(await crashed).toMatchObject({ signal: 'SIGKILL' });
    expect(await restarted).toBe(url);
    expect(server.pid).not.toBe(firstPid);
    expect((await fetch(`${url}/health/`)).status).toBe(200);

    const stopped = new Promise((resolve) => server.once('stopped', resolve));
    await server.stop();
    await stopped;
    expect(server.url).toBeNull();
    await expect(fetch(`${url}/health/`)).rejects.toThrow();
  }, 300_000);

  it('rejects a weak first-run password with a clear message', async () => {
    const server = new EmbeddedServer({ appRoot, dataDir: path.join(tmpDir(), 'backend') });
    await expect(server.createFirstAdmin({ email: 'owner@example.com', name: 'Owner', password: 'short' })).rejects.toMatchObject({ code: 'validation_failed' });
  }, 120_000);
});
