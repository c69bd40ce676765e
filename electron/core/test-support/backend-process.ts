import path from 'node:path';
import { EmbeddedServer } from '../embedded/embedded-server';
import { tmpDir } from './fixtures';

export const APP_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
export const OWNER = { email: 'owner@example.com', name: 'Owner', password: 'a-long-local-passphrase' };

/** A real backend process (the embedded server) with an admin, for tests that stop and restart it. */
export async function startBackendProcess(): Promise<{ server: EmbeddedServer; url: string; call: Caller }> {
  const server = new EmbeddedServer({ appRoot: APP_ROOT, dataDir: path.join(tmpDir(), 'backend'), minRestartDelayMs: 100, extraEnv: { LOGIN_IP_MAX_PER_MINUTE: '100000' } });
  await server.createFirstAdmin(OWNER);
  const url = await server.start();
  const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: OWNER.email, password: OWNER.password }) });
  let token = ((await login.json()) as { accessToken: string }).accessToken;
  const call: Caller = async (method, p, body) => {
    const res = await fetch(`${server.url ?? url}${p}`, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  call.relogin = async () => {
    const r = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: OWNER.email, password: OWNER.password }) });
    token = ((await r.json()) as { accessToken: string }).accessToken;
  };
  return { server, url, call };
}

export type Caller = ((method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>) & { relogin?: () => Promise<void> };

/** Every ticket the admin can see, through the REST list's cursor pages. */
export async function allServerTickets(call: Caller): Promise<any[]> {
  const out: any[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: any } = await call('GET', `/api/v1/tickets?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    if (res.status !== 200) throw new Error(`list: ${res.status} ${JSON.stringify(res.body)}`);
    out.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return out;
}
