import pg from 'pg';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createPgDatabase } from '../../test-support/harness';
import { openDatabase } from './db/connect';
import { migrateToLatest } from './db/migrate';
import { Lifecycle } from './lifecycle';
import { LEADER_LOCK_KEY, PgLeadership } from './leadership';
import { ServerMetrics } from './prometheus';

const logger = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function migratedDatabase(): Promise<string> {
  const url = await createPgDatabase();
  const handle = openDatabase(url);
  await migrateToLatest(handle);
  await handle.close();
  return url;
}

describe('leadership across instances on PostgreSQL', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const s of stops.splice(0).reverse()) await s();
  });
  const leader = (url: string) => {
    const l = new PgLeadership(url, logger, 100);
    stops.push(() => l.stop());
    return l;
  };

  it('one instance leads; when it goes, another takes over with the next term', async () => {
    const url = await migratedDatabase();
    const a = leader(url);
    const b = leader(url);
    await a.start();
    await b.start();
    expect([await a.confirm(), await b.confirm()]).toEqual([true, false]);
    expect(a.term()).toBe(1);
    await a.stop();
    for (let i = 0; i < 50 && !(await b.confirm()); i++) await sleep(50);
    expect(await b.confirm()).toBe(true);
    expect(b.term()).toBe(2);
    expect(await a.confirm()).toBe(false);
  });

  it('a leader whose session was ended skips its next round instead of acting beside the new leader', async () => {
    const url = await migratedDatabase();
    const a = leader(url);
    await a.start();
    expect(await a.confirm()).toBe(true);
    // What a network partition or a long pause looks like from PostgreSQL: the session is gone.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and objid = $1`, [LEADER_LOCK_KEY]);
    const b = leader(url);
    await b.start();
    expect(await a.confirm()).toBe(false);
    for (let i = 0; i < 50 && !(await b.confirm()); i++) await sleep(50);
    expect(b.term()).toBe(2);
    await admin.end();
  });

  it('a once-per-deployment loop runs on the leader only; an instance loop runs everywhere', async () => {
    const url = await migratedDatabase();
    const counts = { once: [0, 0], everywhere: [0, 0] };
    for (const i of [0, 1]) {
      const lifecycle = new Lifecycle(logger, new ServerMetrics().backgroundFailures, leader(url));
      lifecycle.every('once', 20, async () => void counts.once[i]!++, { once: true });
      lifecycle.every('everywhere', 20, async () => void counts.everywhere[i]!++);
      await lifecycle.start();
      stops.push(() => lifecycle.stop());
    }
    await sleep(400);
    expect(counts.once[0]).toBeGreaterThan(5);
    expect(counts.once[1]).toBe(0);
    expect(Math.min(...counts.everywhere)).toBeGreaterThan(5);
  });
});

describe('two servers on one PostgreSQL database', () => {
  it('a scheduled backup runs once per slot, not once per instance', { timeout: 60_000 }, async () => {
    const { startServer } = await import('../app/server');
    const { createUserAndLogin, makeApiCaller, testConfig } = await import('../../test-support/harness');
    const url = await migratedDatabase();
    // A backup every 2 s, on both instances' clocks.
    const env = { DATABASE_URL: url, BACKUP_SCHEDULES: 'every2s=*/2 * * * * *', JWT_SECRET: 'a-shared-secret-for-two-instances-0123456789' };
    const a = await startServer(await testConfig('postgres', env));
    const b = await startServer(await testConfig('postgres', env));
    try {
      await sleep(5_500);
      const admin = await createUserAndLogin({ ...a, config: await testConfig('postgres', env), api: makeApiCaller(a.url), dispose: async () => {} }, { email: 'ops-lead@example.com', password: 'slate-harbor-copper-93', role: 'admin' });
      const jobs = (await makeApiCaller(b.url)('GET', '/api/v1/jobs?runbook=backup-database&limit=100', { token: admin.accessToken })).body.items as { requestedByEmail: string; status: string }[];
      const scheduled = jobs.filter((j) => j.requestedByEmail === 'schedule:every2s');
      // 5.5 s of a 2 s schedule: 2 or 3 slots, each run once and succeeded (never a second, refused request).
      expect(scheduled.length).toBeGreaterThanOrEqual(2);
      expect(scheduled.length).toBeLessThanOrEqual(3);
      expect(scheduled.every((j) => j.status === 'succeeded' || j.status === 'running' || j.status === 'queued')).toBe(true);
      for (const s of [a, b]) {
        const metrics = await (await fetch(`${s.url}/metrics`)).text();
        expect(metrics).not.toMatch(/opsdesk_background_failures_total\{loop="backup-schedule:every2s"\} [1-9]/);
      }
    } finally {
      await b.stop();
      await a.stop();
    }
  });
});

describe('two servers on one PostgreSQL database, escalating', () => {
  it('an unacknowledged alert escalates once per level, whichever instance ticks', { timeout: 60_000 }, async () => {
    const { startServer } = await import('../app/server');
    const { startMonitoringServer } = await import('../../test-support/monitoring');
    // A on its real loops (alert tick every second) and B beside it on the same database and clock.
    const env = await startMonitoringServer('postgres', { MONITORING_LOOPS: 'true', ALERT_TICK_SECONDS: '1', METRICS_INTERVAL_SECONDS: '3600', JWT_SECRET: 'a-shared-secret-for-two-instances-0123456789' });
    const b = await startServer(env.server.config, { clock: env.clock });
    try {
      const fired = await env.server.api('POST', '/api/v1/integrations/generic', { token: env.ingestToken, body: { name: 'Disk almost full', severity: 'high', labels: { host: 'db-1' } } });
      const id = fired.body.ids[0] as string;
      const pages = async () =>
        (await env.server.services.database.db.selectFrom('notification_deliveries').select(['target', 'escalation_level']).where('alert_id', '=', id).where('channel', '=', 'desktop').execute()).map((d) => `${Number(d.escalation_level)}:${d.target}`);
      await sleep(2_500);
      const level0 = await pages();
      expect(level0.length).toBeGreaterThan(0);
      // Past the first level's wait (the manuals' 30 minutes): several ticks on each instance.
      env.clock.advance(31 * 60_000);
      await sleep(3_500);
      const after = await pages();
      const level1 = after.filter((p) => p.startsWith('1:'));
      expect(level1.length).toBeGreaterThan(0);
      expect(new Set(level1).size).toBe(level1.length);
      expect(after.filter((p) => p.startsWith('0:'))).toEqual(level0);
    } finally {
      await b.stop();
      await env.server.dispose();
    }
  });
});

describe('two servers on one PostgreSQL database, watching SLAs', () => {
  it('a warning and a breach are announced (and notified) once, however many ticks of however many instances race for them', { timeout: 60_000 }, async () => {
    const { startServer } = await import('../app/server');
    const { startTestServer } = await import('../../test-support/harness');
    const { helpdeskFixture } = await import('../../test-support/helpdesk-fixture');
    const { ManualClock } = await import('./clock');
    const clock = new ManualClock(Date.UTC(2026, 2, 2, 9, 0, 0));
    const env = { ACCESS_TOKEN_TTL_SECONDS: '86400', JWT_SECRET: 'a-shared-secret-for-two-instances-0123456789' };
    const a = await startTestServer('postgres', { clock, env });
    const b = await startServer(a.config, { clock });
    try {
      const f = await helpdeskFixture(a);
      // Critical: a 15-minute first response (the manuals' P1); 20 minutes later nobody has answered.
      const tickets = await Promise.all([1, 2, 3].map(() => f.createTicket(f.agentA.accessToken, { priority: 'critical' })));
      // 13 minutes: past the 80 % warning. Both instances race for each warning; one notice each goes to the queue (agent A).
      clock.advance(13 * 60_000);
      await Promise.all([a, b].map((s) => s.services.slaWatcher.tick()));
      await Promise.all([a, b].map((s) => s.services.slaWatcher.tick()));
      expect(a.services.slaWatcher.warnings + b.services.slaWatcher.warnings).toBe(tickets.length);
      const notices = async (head: string) =>
        (await a.services.database.db.selectFrom('notification_deliveries').select(['payload', 'user_id']).where('channel', '=', 'desktop').where('alert_id', 'is', null).execute())
          .filter((r) => r.payload.includes(head))
          .map((r) => `${r.user_id}:${/#(\d+)/.exec(r.payload)![1]}`)
          .sort();
      const expected = tickets.map((t) => `${f.agentA.id}:${t.number}`).sort();
      expect(await notices('[SLA warning]')).toEqual(expected);
      clock.advance(7 * 60_000);
      // Both instances tick at once (overlapping ticks of one instance share its pass, so one each).
      const [fromA, fromB] = await Promise.all([a, b].map((s) => s.services.slaWatcher.tick()));
      expect(fromA! + fromB!).toBe(tickets.length);
      const breaches = await a.services.database.db
        .selectFrom('ticket_events')
        .select(['ticket_id', 'field'])
        .where('kind', '=', 'sla_breached')
        .where('ticket_id', 'in', tickets.map((t) => t.id))
        .execute();
      expect(breaches.map((e) => `${e.ticket_id}:${e.field}`).sort()).toEqual(tickets.map((t) => `${t.id}:first_response`).sort());
      // Later ticks on either instance find nothing left to announce.
      expect(await b.services.slaWatcher.tick()).toBe(0);
      expect(await a.services.slaWatcher.tick()).toBe(0);
      // …and the breach was told to the queue once per ticket, the warning not again.
      expect(await notices('[SLA breached]')).toEqual(expected);
      expect(await notices('[SLA warning]')).toEqual(expected);
    } finally {
      await b.stop();
      await a.dispose();
    }
  });
});
