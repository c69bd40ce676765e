import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedServer } from '../embedded/embedded-server';
import { allServerTickets, startBackendProcess, type Caller } from '../test-support/backend-process';
import { tmpDir } from '../test-support/fixtures';

const driver = path.join(path.dirname(new URL(import.meta.url).pathname), '../test-support/core-driver.ts');
const ONCALL = { email: 'oncall@example.com', password: 'pager-duty-secret-9' };

let backend: EmbeddedServer;
let url: string;
let call: Caller;

/** Runs the driver; `killWhen` SIGKILLs it as soon as a printed line matches. */
function runDriver(dir: string, args: string[], killWhen?: (line: string) => boolean): Promise<{ lines: string[]; killed: boolean; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', driver, dir, url, ...args], { env: { ...process.env, EMAIL: ONCALL.email, PASSWORD: ONCALL.password }, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let killed = false;
    let buf = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        lines.push(line);
        if (!killed && killWhen?.(line)) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!killed && code !== 0) reject(new Error(`driver ${args[0]} exited ${code}: ${err}`));
      else resolve({ lines, killed, code });
    });
  });
}

const dump = async (dir: string) => JSON.parse((await runDriver(dir, ['dump'])).lines.at(-1)!) as { tickets: any[]; comments: any[]; alerts: any[]; outbox: any[] };

beforeAll(async () => {
  ({ server: backend, url, call } = await startBackendProcess());
  expect((await call('POST', '/api/v1/users', { ...ONCALL, name: 'On Call', role: 'oncall' })).status).toBe(201);
  const q = await call('POST', '/api/v1/queues', { name: 'Service Desk', memberIds: [] });
  for (let n = 0; n < 15; n++) {
    const t = await call('POST', '/api/v1/tickets', { queueId: q.body.id, subject: `Printer ${n} jammed`, description: 'tray 2', requester: { name: 'Rita', email: 'rita@example.com' } });
    expect(t.status).toBe(201);
  }
  for (let n = 0; n < 10; n++) expect((await call('POST', '/api/v1/alerts', { name: `disk_full_${n}`, severity: 'high', summary: `Disk ${n} at 96%`, labels: { host: `db${n}` } })).status).toBe(201);
}, 120_000);

afterAll(async () => {
  await backend?.stop(3000);
});

describe('offline writes survive a killed core and a stopped backend', () => {
  it('applies 100 mixed offline writes exactly once after SIGKILLs, and the cache equals the server', async () => {
    const dir = tmpDir();
    const first = JSON.parse((await runDriver(dir, ['login'])).lines.at(-1)!) as { tickets: number };
    expect(first.tickets).toBe(15);

    await backend.stop();
    // Offline: write, and get killed half-way through.
    const part1 = await runDriver(dir, ['write', '0', '100'], (l) => l === 'wrote 49');
    expect(part1.killed).toBe(true);
    const afterKill = await dump(dir);
    const written = afterKill.outbox.length;
    expect(written).toBeGreaterThanOrEqual(50);
    expect(written).toBeLessThan(100);
    await runDriver(dir, ['write', String(written), '100']);
    const beforeReplay = await dump(dir);
    expect(beforeReplay.outbox).toHaveLength(100);
    expect(beforeReplay.tickets.filter((t) => t.id.startsWith('local-'))).toHaveLength(20);

    // Back online; the core is killed again in the middle of the replay.
    await backend.start();
    await call.relogin!();
    const part2 = await runDriver(dir, ['replay'], (l) => /^pending (\d+)$/.test(l) && Number(l.split(' ')[1]) <= 60);
    expect(part2.killed).toBe(true);
    const done = await runDriver(dir, ['replay']);
    expect(JSON.parse(done.lines.at(-1)!)).toMatchObject({ done: true, pending: 0, failed: 0, conflicts: 0 });

    // Exactly once on the server.
    const serverTickets = await allServerTickets(call);
    const created = serverTickets.filter((t) => t.subject.startsWith('offline-ticket-'));
    expect(created).toHaveLength(20);
    expect(new Set(created.map((t) => t.subject)).size).toBe(20);
    const bodies: string[] = [];
    for (const t of serverTickets) bodies.push(...(await call('GET', `/api/v1/tickets/${t.id}/comments`)).body.map((c: { body: string }) => c.body));
    const offlineBodies = bodies.filter((b) => b.startsWith('offline-'));
    expect(offlineBodies).toHaveLength(40);
    expect(new Set(offlineBodies).size).toBe(40);
    const alerts = (await call('GET', '/api/v1/alerts?limit=100')).body.items as { id: string; status: string }[];
    expect(alerts.filter((a) => a.status === 'acknowledged')).toHaveLength(10);

    // The cache equals the server.
    const cache = await dump(dir);
    expect(cache.outbox).toEqual([]);
    const pick = (t: any) => ({ id: t.id, number: t.number, subject: t.subject, status: t.status, priority: t.priority, tags: typeof t.tags === 'string' ? JSON.parse(t.tags) : t.tags, version: t.version });
    expect(cache.tickets.map(pick).sort((a, b) => a.id.localeCompare(b.id))).toEqual(serverTickets.map(pick).sort((a, b) => a.id.localeCompare(b.id)));
    expect(cache.tickets.every((t) => t.pending === 0 && t.conflict === 0)).toBe(true);
    expect(cache.comments.map((c) => c.body).sort()).toEqual(bodies.sort());
    expect(cache.alerts.filter((a) => a.status === 'acknowledged')).toHaveLength(10);
  }, 240_000);
});
