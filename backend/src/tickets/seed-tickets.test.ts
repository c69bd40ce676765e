import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncPage } from '../../../shared/api/sync';
import type { Ticket } from '../../../shared/api/tickets';
import { DATABASES, makeApiCaller, startTestServer, type TestServer } from '../../test-support/harness';
import { seedDemo } from '../demo/seed-demo';

describe.each(DATABASES)('seed-demo tickets on %s', (kind) => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer(kind);
    const lines: string[] = [];
    await seedDemo(server.services, { tickets: 400, log: (l) => lines.push(l) });
    const line = lines.find((l) => l.includes('admin@opsdesk.local'))!;
    const password = /password (\S+)/.exec(line)![1]!;
    const login = await makeApiCaller(server.url)('POST', '/api/v1/auth/login', { body: { email: 'admin@opsdesk.local', password } });
    admin = login.body.accessToken;
  });
  afterAll(() => server.dispose());

  it('writes tickets the API lists, searches and syncs like service-made ones', async () => {
    const queues = await server.api('GET', '/api/v1/queues', { token: admin });
    expect(queues.body.map((q: { name: string }) => q.name)).toEqual(['Database', 'Infrastructure', 'Security', 'Service Desk']);
    const all: Ticket[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: Ticket[]; nextCursor: string | null } } = await server.api('GET', `/api/v1/tickets?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { token: admin });
      expect(page.status).toBe(200);
      all.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(all).toHaveLength(400);
    const states = new Set(all.map((t) => t.sla.state));
    expect(states.size).toBeGreaterThanOrEqual(2);
    expect(new Set(all.map((t) => t.status)).size).toBe(5);
    const search = await server.api('GET', `/api/v1/tickets?q=${encodeURIComponent(all[0]!.subject.split(' ')[0]!)}`, { token: admin });
    expect(search.body.items.length).toBeGreaterThan(0);
    const open = all.find((t) => t.status === 'open')!;
    const comments = await server.api('GET', `/api/v1/tickets/${open.id}/comments`, { token: admin });
    expect(comments.body.length).toBeGreaterThanOrEqual(1);
    const sync = await server.api<SyncPage>('GET', '/api/v1/sync/changes?since=0&limit=5000', { token: admin });
    expect(sync.body.changes.filter((c) => c.entity === 'ticket')).toHaveLength(400);
    // The number counter continues after the seeded tickets.
    const made = await server.api('POST', '/api/v1/tickets', { token: admin, body: { queueId: open.queueId, subject: 'After seeding', requester: { name: 'R', email: 'r@example.com' } } });
    expect(made.body.number).toBe(Math.max(...all.map((t) => t.number)) + 1);
  });
});
