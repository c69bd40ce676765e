import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { SnapshotEnd, SnapshotHeader } from '../../../shared/api/sync';
import type { Principal } from '../auth/auth-service';
import type { Database } from '../platform/db/schema';
import type { FeedJson } from './sync-json';
import { visibleTo } from './visibility';

/** Records per database read while streaming a snapshot (memory stays bounded by one page). */
export const SNAPSHOT_PAGE = 5000;

/**
 * A snapshot as of cursor `at`: for each record, the latest change at or below `at` the caller may
 * see, kept when it is an upsert the caller may hold (not a delete, a revocation or a move out of
 * their queues). That is what applying the change feed from 0 to `at` leaves in a cache, record by
 * record, so a client that applies it and then reads the feed after `at` ends where the feed path
 * ends. The feed below the head is append-only except for compaction, which only removes superseded
 * changes and old tombstones (neither kept here), so reading it page by page needs no long
 * transaction: every page sees the same fold as of `at`.
 */
function kept(principal: Principal, queueIds: string[], at: number): RawBuilder<SqlBool> {
  const held =
    principal.role !== 'agent' ? sql`true` : queueIds.length ? sql`(c.audience <> 'queue' or c.queue_id in (${sql.join(queueIds)}))` : sql`c.audience <> 'queue'`;
  return sql<SqlBool>`c.seq <= ${at} and ${visibleTo('c', principal, queueIds)} and c.op = 'upsert' and ${held}
    and not exists (select 1 from changes n where n.entity = c.entity and n.entity_id = c.entity_id and n.seq > c.seq and n.seq <= ${at} and ${visibleTo('n', principal, queueIds)})`;
}

export interface Snapshot {
  header: SnapshotHeader;
  /** NDJSON text, one page of lines per chunk, the end line last. */
  lines: AsyncGenerator<string>;
}

export async function readSnapshot(db: Kysely<Database>, json: FeedJson, principal: Principal, queueIds: string[], at: number, after: number, pageSize = SNAPSHOT_PAGE): Promise<Snapshot> {
  const where = kept(principal, queueIds, at);
  const counted = await sql<{ n: number | string }>`select count(*) as n from changes c where c.seq > ${after} and ${where}`.execute(db);
  const header: SnapshotHeader = { kind: 'snapshot', cursor: at, after, total: Number(counted.rows[0]?.n ?? 0) };
  const p = (c: string) => sql.ref(`p.${c}`);
  // Each page's lines are written by the database (sync-json.ts): one string per page crosses from the reader thread.
  const line = sql`'{"seq":' || ${json.int(p('seq'))} || ',"entity":' || ${json.quote(p('entity'))} || ',"id":' || ${json.quote(p('entity_id'))} || ',"data":' || coalesce(p.data, 'null') || '}'`;
  async function* lines(): AsyncGenerator<string> {
    yield `${JSON.stringify(header)}\n`;
    let cursor = after;
    let count = 0;
    for (;;) {
      const page = await sql<{ n: number | string; last: number | string | null; body: string | null }>`select count(*) as n, max(p.seq) as last, ${json.join(line, '\n', sql`p.seq`)} as body
        from (select c.seq, c.entity, c.entity_id, c.data from changes c where c.seq > ${cursor} and ${where} order by c.seq limit ${pageSize}) p`.execute(db);
      const { n, last, body } = page.rows[0]!;
      count += Number(n);
      if (body !== null) {
        cursor = Number(last);
        yield `${body}\n`;
      }
      if (Number(n) < pageSize) break;
    }
    const end: SnapshotEnd = { kind: 'end', cursor: at, count };
    yield `${JSON.stringify(end)}\n`;
  }
  return { header, lines: lines() };
}
