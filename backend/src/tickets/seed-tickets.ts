import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { TicketPriority, TicketStatus } from '../../../shared/api/tickets';
import { SYSTEM_ACTOR } from '../audit/audit-log';
import type { Services } from '../app/services';
import type SqliteDatabase from 'better-sqlite3';
import type { Database } from '../platform/db/schema';
import { SlaClock, type SlaTargets } from '../sla/sla-clock';
import { PRIORITY_RANK, toComment, toTicket, type TicketRow } from './ticket-model';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BATCH = 5_000;
/** Loads at least this big drop the secondary indexes first and rebuild them after (SQLite). */
const REINDEX_FROM = 50_000;
const LOADED_TABLES = ['tickets', 'ticket_tags', 'ticket_comments', 'ticket_events', 'changes'];
const TX_TICKETS = 50_000;

/** The demo queues and who works them (emails from DEMO_USERS). */
export const DEMO_QUEUES = [
  { name: 'Service Desk', description: 'First line: accounts, laptops, printers, email', members: ['agent@opsdesk.local'] },
  { name: 'Infrastructure', description: 'Servers, network, storage, load balancers', members: ['agent@opsdesk.local', 'oncall@opsdesk.local'] },
  { name: 'Database', description: 'PostgreSQL clusters, replication, backups, slow queries', members: ['agent2@opsdesk.local', 'oncall@opsdesk.local'] },
  { name: 'Security', description: 'Phishing, suspicious logins, certificates, vulnerabilities', members: ['agent2@opsdesk.local'] },
] as const;

const SUBJECTS: Record<string, string[]> = {
  'Service Desk': [
    'Printer on floor {n} keeps jamming',
    'Password reset for {name}',
    'VPN drops every {n} minutes',
    'Laptop will not boot after update',
    'Outlook keeps asking for the password',
    'New starter needs accounts: {name}',
    'Monitor flickering at desk {n}',
    'Shared drive mapping missing for {team}',
    'Teams calls drop audio',
    'Request for a second monitor',
  ],
  Infrastructure: [
    'Disk usage at {n}% on {host}',
    'Load balancer health check failing for {service}',
    'High CPU on {host}',
    'Memory pressure on {host}, swap in use',
    'Certificate renewal failed on {host}',
    'DNS resolution slow in {site}',
    'Backup job failed on {host}',
    'Kubernetes node {host} NotReady',
    'Response time above 2 s for {service}',
    'Error rate above 5 % on {service}',
  ],
  Database: [
    'Replication lag {n} s on db-{n}',
    'Slow query on the orders table',
    'Deadlock in the billing batch',
    'Connection pool exhausted for {service}',
    'Vacuum not keeping up on {table}',
    'Restore request: {table} from last night',
    'Index bloat on {table}',
    'Disk at {n}% on db-{n}',
  ],
  Security: [
    'Phishing email reported by {name}',
    'Suspicious login for {name} from {site}',
    'TLS certificate expires in {n} days on {host}',
    'Malware alert on laptop {n}',
    'Access review for {team}',
    'Leaked credential found for {service}',
    'Firewall rule request for {service}',
  ],
};
const DESCRIPTIONS = [
  'Reported by phone. The user says it started this morning and affects the whole team.',
  'Monitoring raised this automatically; the graph shows a steady climb over the last hour.',
  'Happens intermittently, roughly {n} times a day. Screenshots attached in the original email.',
  'Blocking work for {team}. Tried the usual restart, no change.',
  'Seen after the maintenance window on {site}. Might be related to the change freeze rollback.',
  'Customer-facing impact: checkout latency is up. Please prioritise.',
];
const REPLIES = [
  'Thanks for reporting this, we are looking into it now.',
  'Could you send the exact error message and the time it happened?',
  'We applied a fix; please confirm it works on your side.',
  'Restarted the service and cleared the cache, monitoring for recurrence.',
  'Escalated to the second line team with the logs attached.',
];
const NOTES = [
  'Checked the logs: timeouts against the upstream since 09:12.',
  'Probably the same root cause as last week, see the postmortem.',
  'Waiting on the vendor; case number {n}.',
  'Runbook step 3 done, disk freed {n} GB.',
  'Do not close before the change request is approved.',
];
const NAMES = ['Rita Lopez', 'Sam Patel', 'Jon Berg', 'Mia Chen', 'Noah Okafor', 'Lena Schmidt', 'Omar Haddad', 'Ivy Novak', 'Paul Dubois', 'Zoe Kim'];
const HOSTS = ['web-01', 'web-02', 'api-03', 'cache-01', 'mq-02', 'build-04', 'edge-01'];
const SERVICES = ['checkout', 'payments', 'search', 'auth', 'reporting', 'inventory'];
const TEAMS = ['finance', 'sales', 'support', 'engineering', 'legal', 'marketing'];
const SITES = ['Berlin', 'Lisbon', 'Austin', 'Singapore', 'Nairobi'];
const TABLES = ['orders', 'invoices', 'events', 'sessions', 'audit_log'];
const TAGS: Record<string, string[]> = {
  'Service Desk': ['printer', 'password', 'vpn', 'laptop', 'email', 'onboarding'],
  Infrastructure: ['disk', 'cpu', 'network', 'kubernetes', 'backup', 'tls'],
  Database: ['replication', 'performance', 'backup', 'postgres', 'capacity'],
  Security: ['phishing', 'login', 'tls', 'malware', 'access'],
};
const PRIORITY_WEIGHTS: [TicketPriority, number][] = [['low', 0.3], ['medium', 0.4], ['high', 0.2], ['critical', 0.1]];

/** A small deterministic generator so demo data (and benchmarks) are repeatable. */
function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
  };
}

let pool = Buffer.alloc(0);
let poolAt = 0;
function randomHex(bytes: number): string {
  if (poolAt + bytes > pool.length) {
    pool = randomBytes(64 * 1024);
    poolAt = 0;
  }
  poolAt += bytes;
  return pool.toString('hex', poolAt - bytes, poolAt);
}

/** Time-ordered ids (UUIDv7 layout) keep the primary-key index append-only during bulk loads. */
function uuid7(ms: number): string {
  const r = randomHex(10);
  const t = ms.toString(16).padStart(12, '0');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${r.slice(0, 3)}-${((parseInt(r[3]!, 16) & 3) | 8).toString(16)}${r.slice(4, 7)}-${r.slice(7, 19)}`;
}

type Row = Record<string, unknown>;

/** Batched inserts: cached prepared statements on SQLite, multi-row INSERTs on PostgreSQL. */
class BulkWriter {
  private readonly statements = new Map<string, { run(...args: unknown[]): unknown }>();
  constructor(private readonly ctx: Pick<Services, 'database'>) {}

  async insert(trx: Kysely<Database>, table: string, rows: Row[]): Promise<void> {
    if (!rows.length) return;
    const columns = Object.keys(rows[0]!);
    const sqlite = this.ctx.database.sqlite;
    if (sqlite) {
      let stmt = this.statements.get(table);
      if (!stmt) {
        const cols = table === 'ticket_fts' ? ['rowid', 'subject', 'body'] : columns;
        stmt = sqlite.prepare(`insert into ${table} (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')})`);
        this.statements.set(table, stmt);
      }
      for (const r of rows) stmt.run(...columns.map((c) => r[c]));
      return;
    }
    const per = Math.max(1, Math.floor(60_000 / columns.length));
    for (let i = 0; i < rows.length; i += per) {
      await trx
        .insertInto(table as 'tickets')
        .values(rows.slice(i, i + per) as never)
        .execute();
    }
  }
}

export interface SeedTicketsOptions {
  tickets: number;
  log: (line: string) => void;
  /** Fixed "now" and random seed (benchmarks). */
  now?: number;
  seed?: number;
}

/**
 * Demo queues with members, then N tickets with comments, history, search documents and change-feed
 * rows written in batches that bypass the per-ticket service (N = 1,000,000 in minutes on SQLite).
 * The rows are the ones the services write, with one documented difference: each ticket and
 * comment gets one change-feed entry with its final state instead of one per historical edit.
 */
export type SeedTicketsDeps = Pick<Services, 'database' | 'queues' | 'sla' | 'clock' | 'changes'>;

export async function seedTickets(ctx: SeedTicketsDeps, options: SeedTicketsOptions): Promise<void> {
  const db = ctx.database.db;
  const actor = { ...SYSTEM_ACTOR, email: 'seed-demo' };
  const users = await db.selectFrom('users').select(['id', 'email', 'role']).execute();
  const byEmail = new Map(users.map((u) => [u.email, u]));
  const staff = users.filter((u) => u.role !== 'agent').map((u) => u.id);

  const queues: { id: string; name: string; members: string[] }[] = [];
  for (const q of DEMO_QUEUES) {
    let row = await db.selectFrom('queues').select('id').where('name', '=', q.name).executeTakeFirst();
    if (!row) {
      const memberIds = q.members.map((e) => byEmail.get(e)?.id).filter((id): id is string => !!id);
      row = await ctx.queues.create(actor, { name: q.name, description: q.description, memberIds });
      options.log(`queue ${q.name} created`);
    }
    const members = await db.selectFrom('queue_members').select('user_id').where('queue_id', '=', row.id).execute();
    queues.push({ id: row.id, name: q.name, members: [...members.map((m) => m.user_id), ...staff] });
  }
  if (options.tickets <= 0) return;

  const targets: Record<TicketPriority, SlaTargets> = await ctx.sla.allTargets();
  const now = options.now ?? ctx.clock.now();
  const r = rng(options.seed ?? 42);
  const writer = new BulkWriter(ctx);
  const sqlite = ctx.database.sqlite;
  const started = Date.now();
  const restore = sqlite ? { sync: sqlite.pragma('synchronous', { simple: true }), cache: sqlite.pragma('cache_size', { simple: true }) } : null;
  if (sqlite) {
    sqlite.pragma('synchronous = OFF');
    sqlite.pragma('cache_size = -1000000');
  }
  // Building an index once from sorted data is far cheaper than a million random index inserts.
  const dropped: { name: string; sql: string }[] =
    sqlite && options.tickets >= REINDEX_FROM
      ? (sqlite
          .prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${LOADED_TABLES.map(() => '?').join(', ')})`)
          .all(...LOADED_TABLES) as { name: string; sql: string }[])
      : [];
  for (const ix of dropped) sqlite!.exec(`drop index ${ix.name}`);
  // A rollback journal writes appended pages once; WAL would write them twice (log, then checkpoint).
  const journal = dropped.length ? rollbackJournal(sqlite!) : 'wal';
  // Ids follow insertion order so primary keys append.
  let idClock = now - options.tickets * 3;
  const fill = (s: string) =>
    s.replace(/\{(\w+)\}/g, (_, k: string) => {
      switch (k) {
        case 'n':
          return String(2 + r.int(97));
        case 'name':
          return r.pick(NAMES);
        case 'host':
          return r.pick(HOSTS);
        case 'service':
          return r.pick(SERVICES);
        case 'team':
          return r.pick(TEAMS);
        case 'site':
          return r.pick(SITES);
        default:
          return r.pick(TABLES);
      }
    });

  try {
    const first = Number((await db.selectFrom('counters').select('value').where('name', '=', 'ticket_number').executeTakeFirstOrThrow()).value) + 1;
    let done = 0;
    while (done < options.tickets) {
      const inTx = Math.min(TX_TICKETS, options.tickets - done);
      await db.transaction().execute(async (trx) => {
        await ctx.changes.lock(trx);
        for (let b = 0; b < inTx; b += BATCH) {
          const n = Math.min(BATCH, inTx - b);
          const tickets: TicketRow[] = [];
          const tags: Row[] = [];
          const comments: Row[] = [];
          const events: Row[] = [];
          const fts: Row[] = [];
          const changes: Row[] = [];
          for (let i = 0; i < n; i++) {
            const number = first + done + b + i;
            const queue = queues[r.next() < 0.4 ? 0 : 1 + r.int(3)]!;
            let x = r.next();
            const priority = PRIORITY_WEIGHTS.find(([, w]) => (x -= w) < 0)?.[0] ?? 'low';
            const s = r.next();
            const status: TicketStatus = s < 0.45 ? 'closed' : s < 0.6 ? 'resolved' : s < 0.8 ? 'open' : s < 0.88 ? 'pending' : 'new';
            const running = status === 'new' || status === 'open' || status === 'pending';
            // Work in progress is recent (so SLA states mix); finished work spreads over a year.
            const age = running ? r.next() * 3 * DAY : DAY + r.next() * 365 * DAY;
            const created = Math.round(now - age);
            const t = targets[priority];
            let sla = SlaClock.start(created, t);
            let updated = created;
            const ticketComments: { body: string; visibility: string; at: number }[] = [];
            if (status !== 'new') {
              const replyAt = Math.min(now, Math.round(created + r.next() * 1.3 * t.firstResponseMs));
              sla = SlaClock.onPublicReply(sla, replyAt);
              ticketComments.push({ body: r.pick(REPLIES), visibility: 'public', at: replyAt });
              updated = replyAt;
            }
            if (r.next() < 0.4) {
              const at = Math.min(now, updated + r.int(4 * HOUR));
              ticketComments.push({ body: fill(r.pick(NOTES)), visibility: 'internal', at });
              updated = at;
            }
            let resolvedAt: number | null = null;
            if (status === 'pending') {
              const at = Math.min(now, updated + r.int(2 * HOUR));
              sla = SlaClock.onStatus(sla, 'open', 'pending', at);
              updated = at;
            } else if (status === 'resolved' || status === 'closed') {
              resolvedAt = Math.min(now, Math.round(created + r.next() * 1.3 * t.resolutionMs));
              resolvedAt = Math.max(resolvedAt, updated);
              sla = SlaClock.onStatus(sla, 'open', 'resolved', resolvedAt);
              updated = resolvedAt;
            }
            if (running && sla.sla_paused_at === null) {
              // What the SLA watcher would have marked by now.
              if (sla.first_response_at === null && now >= sla.response_due_at) sla.response_breached_at = sla.response_due_at;
              if (now >= sla.resolution_due_at) sla.resolution_breached_at = sla.resolution_due_at;
            }
            const closedAt = status === 'closed' ? Math.min(now, resolvedAt! + r.int(3 * DAY)) : null;
            if (closedAt) updated = Math.max(updated, closedAt);
            const tagList = [...new Set(Array.from({ length: r.int(3) }, () => r.pick(TAGS[queue.name]!)))];
            const subject = fill(r.pick(SUBJECTS[queue.name]!));
            const description = fill(r.pick(DESCRIPTIONS));
            const requester = r.pick(NAMES);
            const row: TicketRow = {
              id: uuid7((idClock += 1)),
              number,
              queue_id: queue.id,
              subject,
              description,
              requester_name: requester,
              requester_email: `${requester.toLowerCase().replace(/\W+/g, '.')}@example.com`,
              status,
              priority,
              priority_rank: PRIORITY_RANK[priority],
              assignee_id: status !== 'new' && r.next() < 0.8 && queue.members.length ? r.pick(queue.members) : null,
              tags: JSON.stringify(tagList),
              created_by: null,
              created_at: created,
              updated_at: updated,
              resolved_at: status === 'resolved' || status === 'closed' ? resolvedAt : null,
              closed_at: closedAt,
              version: status === 'new' ? 1 : 2,
              ...sla,
              source: 'app',
              cc: '[]',
              merged_into_id: null,
              attachments: '[]',
            };
            tickets.push(row);
            for (const tag of tagList) tags.push({ ticket_id: row.id, tag });
            events.push({ ticket_id: row.id, actor_id: null, kind: 'created', field: null, old_value: null, new_value: JSON.stringify({ queueId: row.queue_id, priority, status: 'new' }), at: created });
            if (status !== 'new') events.push({ ticket_id: row.id, actor_id: row.assignee_id, kind: 'changed', field: 'status', old_value: '"new"', new_value: JSON.stringify(status), at: updated });
            const commentRows = ticketComments.map((c) => ({ id: uuid7((idClock += 1)), ticket_id: row.id, author_id: row.assignee_id, visibility: c.visibility, body: c.body, created_at: c.at, source: 'app', author_email: null, html: null, flags: '[]', attachments: '[]' }));
            for (const c of commentRows) {
              comments.push(c);
              events.push({ ticket_id: row.id, actor_id: c.author_id, kind: 'commented', field: null, old_value: null, new_value: JSON.stringify({ commentId: c.id, visibility: c.visibility }), at: c.created_at });
            }
            const audience = { audience: 'queue', queue_id: row.queue_id, prev_queue_id: null, user_id: null, actor_id: null };
            changes.push({ entity: 'ticket', entity_id: row.id, op: 'upsert', ...audience, data: JSON.stringify(toTicket(row, now)), at: updated });
            for (const c of commentRows) changes.push({ entity: 'comment', entity_id: c.id, op: 'upsert', ...audience, data: JSON.stringify(toComment(c)), at: c.created_at });
            if (sqlite) fts.push({ rowid: number, subject, body: [description, ...commentRows.map((c) => c.body)].join('\n') });
          }
          await writer.insert(trx, 'tickets', tickets);
          await writer.insert(trx, 'ticket_tags', tags);
          await writer.insert(trx, 'ticket_comments', comments);
          await writer.insert(trx, 'ticket_events', events);
          await writer.insert(trx, 'changes', changes);
          if (sqlite) await writer.insert(trx, 'ticket_fts', fts);
          else {
            const lo = tickets[0]!.number;
            const hi = tickets[tickets.length - 1]!.number;
            await sql`update tickets set search_vector =
                setweight(to_tsvector('english', subject), 'A') || setweight(to_tsvector('english', description), 'B') ||
                setweight(to_tsvector('english', coalesce((select string_agg(body, ' ') from ticket_comments c where c.ticket_id = tickets.id), '')), 'C')
              where number between ${lo} and ${hi}`.execute(trx);
          }
        }
        await trx.updateTable('counters').set({ value: first + done + inTx - 1 }).where('name', '=', 'ticket_number').execute();
      });
      done += inTx;
      options.log(`tickets ${done.toLocaleString('en-US')} / ${options.tickets.toLocaleString('en-US')} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
  } finally {
    if (dropped.length) {
      const t0 = Date.now();
      for (const ix of dropped) sqlite!.exec(ix.sql);
      options.log(`rebuilt ${dropped.length} indexes (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
    // Sampled statistics: enough for the planner to prefer the listing indexes, seconds not minutes.
    if (sqlite) sqlite.exec('pragma analysis_limit = 1000; analyze;');
    else await sql`analyze tickets`.execute(db);
    if (journal !== 'wal') sqlite!.pragma('journal_mode = WAL');
    if (sqlite && restore) {
      sqlite.pragma(`synchronous = ${Number(restore.sync)}`);
      sqlite.pragma(`cache_size = ${Number(restore.cache)}`);
    }
  }
}

/** Switches to a rollback journal for the load; a server's reader or checkpoint threads hold the file open (SQLITE_BUSY), and then WAL stays. */
function rollbackJournal(sqlite: SqliteDatabase.Database): string {
  try {
    return String(sqlite.pragma('journal_mode = DELETE', { simple: true }));
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return 'wal';
    throw err;
  }
}
