import type Database from 'better-sqlite3';

/**
 * The desktop cache's schema, one numbered migration per change. Each runs in its own transaction
 * and bumps PRAGMA user_version; each has a test in migrations.test.ts (seed at N-1, migrate, assert).
 */
export interface CacheMigration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export const CACHE_MIGRATIONS: CacheMigration[] = [
  {
    version: 1,
    name: 'core tables',
    up(db) {
      db.exec(`
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE tickets (
          rid INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          number INTEGER NOT NULL,
          subject TEXT NOT NULL,
          description TEXT NOT NULL DEFAULT '',
          status TEXT NOT NULL,
          priority TEXT NOT NULL,
          priority_rank INTEGER NOT NULL,
          queue_id TEXT,
          requester TEXT NOT NULL DEFAULT '',
          requester_email TEXT NOT NULL DEFAULT '',
          assignee_id TEXT,
          tags TEXT NOT NULL DEFAULT '[]',
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          first_response_due_at INTEGER,
          resolution_due_at INTEGER,
          sla_state TEXT NOT NULL DEFAULT 'none',
          version INTEGER NOT NULL DEFAULT 0,
          pending INTEGER NOT NULL DEFAULT 0,
          conflict INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX tickets_queue_updated ON tickets (queue_id, updated_at);
        CREATE INDEX tickets_status_updated ON tickets (status, updated_at);
        CREATE INDEX tickets_assignee_updated ON tickets (assignee_id, updated_at);
        CREATE INDEX tickets_updated ON tickets (updated_at);
        CREATE INDEX tickets_number ON tickets (number);
        CREATE TABLE comments (
          rid INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          ticket_id TEXT NOT NULL,
          author_id TEXT,
          author_name TEXT NOT NULL DEFAULT '',
          body TEXT NOT NULL,
          internal INTEGER NOT NULL DEFAULT 0,
          created_at INTEGER NOT NULL,
          pending INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX comments_ticket ON comments (ticket_id, created_at);
        CREATE TABLE ticket_events (
          id TEXT PRIMARY KEY,
          ticket_id TEXT NOT NULL,
          at INTEGER NOT NULL,
          actor_name TEXT,
          field TEXT NOT NULL,
          from_value TEXT,
          to_value TEXT
        );
        CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, at);
        CREATE TABLE queues (id TEXT PRIMARY KEY, name TEXT NOT NULL, data TEXT NOT NULL);
        CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, data TEXT NOT NULL);
        -- Monitoring and operations records are kept whole (JSON) with the columns filters need.
        CREATE TABLE alerts (id TEXT PRIMARY KEY, status TEXT NOT NULL, severity TEXT NOT NULL, last_seen_at INTEGER NOT NULL, data TEXT NOT NULL, pending INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX alerts_status ON alerts (status, last_seen_at);
        CREATE TABLE silences (id TEXT PRIMARY KEY, ends_at INTEGER NOT NULL, data TEXT NOT NULL);
        CREATE TABLE incidents (id TEXT PRIMARY KEY, state TEXT NOT NULL, updated_at INTEGER NOT NULL, data TEXT NOT NULL);
        CREATE TABLE runbooks (id TEXT PRIMARY KEY, data TEXT NOT NULL);
        CREATE TABLE jobs (id TEXT PRIMARY KEY, status TEXT NOT NULL, created_at INTEGER NOT NULL, data TEXT NOT NULL);
        CREATE TABLE saved_views (id TEXT PRIMARY KEY, name TEXT NOT NULL, data TEXT NOT NULL, origin TEXT NOT NULL DEFAULT 'local');
        CREATE TABLE drafts (ticket_id TEXT PRIMARY KEY, body TEXT NOT NULL, internal INTEGER NOT NULL, updated_at INTEGER NOT NULL);
        CREATE TABLE outbox (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          idempotency_key TEXT NOT NULL UNIQUE,
          kind TEXT NOT NULL,
          target_id TEXT NOT NULL,
          payload TEXT NOT NULL,
          base TEXT,
          summary TEXT NOT NULL,
          state TEXT NOT NULL DEFAULT 'pending',
          attempts INTEGER NOT NULL DEFAULT 0,
          error TEXT,
          conflicts TEXT NOT NULL DEFAULT '[]',
          created_at INTEGER NOT NULL
        );
        CREATE INDEX outbox_target ON outbox (target_id);
      `);
    },
  },
  {
    version: 2,
    name: 'full-text search over tickets and comments',
    up(db) {
      // External-content FTS5 tables kept in step by triggers, so every upsert indexes itself.
      db.exec(`
        CREATE VIRTUAL TABLE tickets_fts USING fts5(subject, description, requester, requester_email, content='tickets', content_rowid='rid', tokenize='unicode61 remove_diacritics 2');
        CREATE TRIGGER tickets_ai AFTER INSERT ON tickets BEGIN
          INSERT INTO tickets_fts(rowid, subject, description, requester, requester_email) VALUES (new.rid, new.subject, new.description, new.requester, new.requester_email);
        END;
        CREATE TRIGGER tickets_ad AFTER DELETE ON tickets BEGIN
          INSERT INTO tickets_fts(tickets_fts, rowid, subject, description, requester, requester_email) VALUES ('delete', old.rid, old.subject, old.description, old.requester, old.requester_email);
        END;
        CREATE TRIGGER tickets_au AFTER UPDATE OF subject, description, requester, requester_email ON tickets BEGIN
          INSERT INTO tickets_fts(tickets_fts, rowid, subject, description, requester, requester_email) VALUES ('delete', old.rid, old.subject, old.description, old.requester, old.requester_email);
          INSERT INTO tickets_fts(rowid, subject, description, requester, requester_email) VALUES (new.rid, new.subject, new.description, new.requester, new.requester_email);
        END;
        CREATE VIRTUAL TABLE comments_fts USING fts5(body, content='comments', content_rowid='rid', tokenize='unicode61 remove_diacritics 2');
        CREATE TRIGGER comments_ai AFTER INSERT ON comments BEGIN
          INSERT INTO comments_fts(rowid, body) VALUES (new.rid, new.body);
        END;
        CREATE TRIGGER comments_ad AFTER DELETE ON comments BEGIN
          INSERT INTO comments_fts(comments_fts, rowid, body) VALUES ('delete', old.rid, old.body);
        END;
        CREATE TRIGGER comments_au AFTER UPDATE OF body ON comments BEGIN
          INSERT INTO comments_fts(comments_fts, rowid, body) VALUES ('delete', old.rid, old.body);
          INSERT INTO comments_fts(rowid, body) VALUES (new.rid, new.body);
        END;
        INSERT INTO tickets_fts(tickets_fts) VALUES ('rebuild');
        INSERT INTO comments_fts(comments_fts) VALUES ('rebuild');
      `);
    },
  },
  {
    version: 3,
    name: 'covering indexes for queue pages and their totals',
    up(db) {
      // A queue page filters by queue and status and sorts by time or priority; its total is a count
      // over the same filter, answered from these indexes without touching the table.
      db.exec(`
        CREATE INDEX tickets_queue_status_updated ON tickets (queue_id, status, updated_at);
        CREATE INDEX tickets_queue_priority ON tickets (queue_id, priority_rank, updated_at);
        CREATE INDEX tickets_assignee_status ON tickets (assignee_id, status, updated_at);
        ANALYZE;
      `);
    },
  },
  {
    version: 4,
    name: 'deferrable search indexing for bulk sync',
    up(db) {
      // Indexing row by row costs ~15x a 'rebuild' at the end; while meta 'fts.deferred' is set
      // (a large sync in progress) the triggers stand aside and the sync rebuilds once it is done.
      // Updates re-index only when indexed text changed.
      const deferred = "NOT EXISTS (SELECT 1 FROM meta WHERE key = 'fts.deferred')";
      db.exec(`
        DROP TRIGGER tickets_ai; DROP TRIGGER tickets_ad; DROP TRIGGER tickets_au;
        DROP TRIGGER comments_ai; DROP TRIGGER comments_ad; DROP TRIGGER comments_au;
        CREATE TRIGGER tickets_ai AFTER INSERT ON tickets WHEN ${deferred} BEGIN
          INSERT INTO tickets_fts(rowid, subject, description, requester, requester_email) VALUES (new.rid, new.subject, new.description, new.requester, new.requester_email);
        END;
        CREATE TRIGGER tickets_ad AFTER DELETE ON tickets WHEN ${deferred} BEGIN
          INSERT INTO tickets_fts(tickets_fts, rowid, subject, description, requester, requester_email) VALUES ('delete', old.rid, old.subject, old.description, old.requester, old.requester_email);
        END;
        CREATE TRIGGER tickets_au AFTER UPDATE OF subject, description, requester, requester_email ON tickets
          WHEN ${deferred} AND (old.subject IS NOT new.subject OR old.description IS NOT new.description OR old.requester IS NOT new.requester OR old.requester_email IS NOT new.requester_email) BEGIN
          INSERT INTO tickets_fts(tickets_fts, rowid, subject, description, requester, requester_email) VALUES ('delete', old.rid, old.subject, old.description, old.requester, old.requester_email);
          INSERT INTO tickets_fts(rowid, subject, description, requester, requester_email) VALUES (new.rid, new.subject, new.description, new.requester, new.requester_email);
        END;
        CREATE TRIGGER comments_ai AFTER INSERT ON comments WHEN ${deferred} BEGIN
          INSERT INTO comments_fts(rowid, body) VALUES (new.rid, new.body);
        END;
        CREATE TRIGGER comments_ad AFTER DELETE ON comments WHEN ${deferred} BEGIN
          INSERT INTO comments_fts(comments_fts, rowid, body) VALUES ('delete', old.rid, old.body);
        END;
        CREATE TRIGGER comments_au AFTER UPDATE OF body ON comments WHEN ${deferred} AND old.body IS NOT new.body BEGIN
          INSERT INTO comments_fts(comments_fts, rowid, body) VALUES ('delete', old.rid, old.body);
          INSERT INTO comments_fts(rowid, body) VALUES (new.rid, new.body);
        END;
      `);
    },
  },
  {
    version: 5,
    name: 'email facts of comments',
    up(db) {
      // JSON: where the comment came from (app or email), the sender, sanitized HTML, flags and the delivery of a public reply.
      db.exec(`ALTER TABLE comments ADD COLUMN email TEXT`);
    },
  },
  {
    version: 6,
    name: 'outbox items carry their author',
    up(db) {
      // Items written before this belong to the user the cache was syncing for (none: they stay held).
      db.exec(`ALTER TABLE outbox ADD COLUMN author_id TEXT`);
      db.exec(`UPDATE outbox SET author_id = (SELECT value FROM meta WHERE key = 'sync.userId')`);
    },
  },
  {
    version: 7,
    name: 'attachment metadata of tickets and comments',
    up(db) {
      // JSON arrays of Attachment; the content is fetched on demand.
      db.exec(`ALTER TABLE tickets ADD COLUMN attachments TEXT; ALTER TABLE comments ADD COLUMN attachments TEXT`);
      },
    },
    {
      version: 8,
      name: 'outbox indexes for replay and counts',
      up(db) {
        db.exec(`CREATE INDEX outbox_author_state ON outbox (author_id, state, id, target_id)`);
    },
  },
  {
    version: 9,
    name: 'saved views live on the server',
    up(db) {
      // Views saved before this version exist only here: 'legacy' until uploaded once, under the
      // first user who signs in (Outbox.adoptLegacyViews). 'local' now means waiting in the outbox.
      db.exec(`UPDATE saved_views SET origin = 'legacy' WHERE origin = 'local'`);
    },
  },
];

export const LATEST_CACHE_VERSION = CACHE_MIGRATIONS[CACHE_MIGRATIONS.length - 1]!.version;

/** Applies the migrations above `user_version`, each in its own transaction. Returns those applied. */
export function migrateCache(db: Database.Database, upTo = LATEST_CACHE_VERSION): number[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  const applied: number[] = [];
  for (const m of CACHE_MIGRATIONS) {
    if (m.version <= current || m.version > upTo) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
    applied.push(m.version);
  }
  return applied;
}
