import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index';
import { autoId } from './column-types';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** The defaults: critical 15 min / 4 h, high 1 h / 8 h, medium 4 h / 24 h, low 1 day / 3 days. */
const DEFAULT_SLA = [
  ['critical', 15 * MIN, 4 * HOUR],
  ['high', 1 * HOUR, 8 * HOUR],
  ['medium', 4 * HOUR, 24 * HOUR],
  ['low', 24 * HOUR, 72 * HOUR],
] as const;

/** Queues, tickets, comments, history, SLA policies, saved views and full-text search. */
export function helpdesk({ dialect }: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('queues')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('queue_members')
        .addColumn('queue_id', 'text', (c) => c.notNull().references('queues.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('added_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('queue_members_pk', ['queue_id', 'user_id'])
        .execute();
      await db.schema.createIndex('queue_members_user').on('queue_members').column('user_id').execute();

      await db.schema
        .createTable('counters')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'bigint', (c) => c.notNull())
        .execute();
      await sql`insert into counters (name, value) values ('ticket_number', 0)`.execute(db);

      await db.schema
        .createTable('tickets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('number', 'bigint', (c) => c.notNull().unique())
        .addColumn('queue_id', 'text', (c) => c.notNull().references('queues.id'))
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('requester_name', 'text', (c) => c.notNull())
        .addColumn('requester_email', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('priority', 'text', (c) => c.notNull())
        .addColumn('priority_rank', 'integer', (c) => c.notNull())
        .addColumn('assignee_id', 'text')
        .addColumn('tags', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('resolved_at', 'bigint')
        .addColumn('closed_at', 'bigint')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('sla_response_ms', 'bigint', (c) => c.notNull())
        .addColumn('sla_resolution_ms', 'bigint', (c) => c.notNull())
        .addColumn('sla_paused_at', 'bigint')
        .addColumn('response_due_at', 'bigint', (c) => c.notNull())
        .addColumn('response_warn_at', 'bigint', (c) => c.notNull())
        .addColumn('resolution_due_at', 'bigint', (c) => c.notNull())
        .addColumn('resolution_warn_at', 'bigint', (c) => c.notNull())
        .addColumn('first_response_at', 'bigint')
        .addColumn('response_breached_at', 'bigint')
        .addColumn('resolution_breached_at', 'bigint')
        .addColumn('due_sort', 'bigint', (c) => c.notNull())
        .execute();
      // Listing: every sort has a (filter…, key, number) index so keyset pages stay index scans.
      await db.schema.createIndex('tickets_queue_status_updated').on('tickets').columns(['queue_id', 'status', 'updated_at', 'number']).execute();
      await db.schema.createIndex('tickets_queue_updated').on('tickets').columns(['queue_id', 'updated_at', 'number']).execute();
      await db.schema.createIndex('tickets_updated').on('tickets').columns(['updated_at', 'number']).execute();
      await db.schema.createIndex('tickets_assignee').on('tickets').columns(['assignee_id', 'status', 'updated_at']).execute();
      await db.schema.createIndex('tickets_due').on('tickets').columns(['due_sort', 'number']).execute();

      await db.schema
        .createTable('ticket_tags')
        .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
        .addColumn('tag', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('ticket_tags_pk', ['ticket_id', 'tag'])
        .execute();
      await db.schema.createIndex('ticket_tags_tag').on('ticket_tags').columns(['tag', 'ticket_id']).execute();

      await db.schema
        .createTable('ticket_comments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
        .addColumn('author_id', 'text')
        .addColumn('visibility', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ticket_comments_ticket').on('ticket_comments').columns(['ticket_id', 'created_at']).execute();

      await autoId(db.schema.createTable('ticket_events'), dialect)
        .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
        .addColumn('actor_id', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('field', 'text')
        .addColumn('old_value', 'text')
        .addColumn('new_value', 'text')
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ticket_events_ticket').on('ticket_events').columns(['ticket_id', 'id']).execute();

      await db.schema
        .createTable('sla_policies')
        .addColumn('priority', 'text', (c) => c.primaryKey())
        .addColumn('first_response_ms', 'bigint', (c) => c.notNull())
        .addColumn('resolution_ms', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint')
        .addColumn('updated_by', 'text')
        .execute();
      for (const [priority, response, resolution] of DEFAULT_SLA) {
        await sql`insert into sla_policies (priority, first_response_ms, resolution_ms) values (${priority}, ${response}, ${resolution})`.execute(db);
      }

      await db.schema
        .createTable('saved_views')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('filter', 'text', (c) => c.notNull())
        .addColumn('sort', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('saved_views_user_name', ['user_id', 'name'])
        .execute();

      // The SLA watcher looks for running, unmarked timers past due: partial indexes hold only those.
      await db.schema
        .createIndex('tickets_response_watch')
        .on('tickets')
        .column('response_due_at')
        .where(sql.ref('status'), 'in', [sql.lit('new'), sql.lit('open')])
        .where(sql.ref('response_breached_at'), 'is', null)
        .execute();
      await db.schema
        .createIndex('tickets_resolution_watch')
        .on('tickets')
        .column('resolution_due_at')
        .where(sql.ref('status'), 'in', [sql.lit('new'), sql.lit('open')])
        .where(sql.ref('resolution_breached_at'), 'is', null)
        .execute();

      if (dialect === 'sqlite') {
        // rowid = ticket number; body = description plus every comment. Contentless: the text is
        // stored once, in tickets and ticket_comments; a change deletes and re-inserts the document.
        await sql`create virtual table ticket_fts using fts5(subject, body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
      } else {
        await sql`alter table tickets add column search_vector tsvector not null default ''::tsvector`.execute(db);
        await sql`create index tickets_search on tickets using gin (search_vector)`.execute(db);
      }
    },
  };
}
