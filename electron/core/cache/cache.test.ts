import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SyncChange } from '../../../shared/api/sync';
import { tmpDir } from '../test-support/fixtures';
import { Cache } from './cache';

export function serverTicket(n: number, patch: Record<string, unknown> = {}) {
  return {
    id: `t${n}`, number: n, queueId: n % 2 ? 'q1' : 'q2', subject: `Ticket ${n} about printers`, description: 'desc', requester: { name: 'Ana', email: 'ana@example.com' },
    status: 'open', priority: 'high', assigneeId: null, tags: ['hw'], createdBy: null, createdAt: n, updatedAt: n, resolvedAt: null, closedAt: null, version: 1,
    sla: { state: 'ok', firstResponseDueAt: null, resolutionDueAt: 1000 + n, firstResponseWarnAt: null, resolutionWarnAt: null, firstRespondedAt: null, pausedAt: null, firstResponseBreachedAt: null, resolutionBreachedAt: null },
    ...patch,
  };
}
/** The ticket and comment indexes in a cache file, read through a connection of its own. */
/** The secondary indexes and search triggers of tickets and comments. */
function indexesOf(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare("SELECT type || ' ' || name AS name FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name IN ('tickets', 'comments') AND sql IS NOT NULL ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
}
const change = (seq: number, entity: SyncChange['entity'], id: string, data: unknown, op: 'upsert' | 'delete' = 'upsert'): SyncChange => ({ seq, entity, id, op, data, at: seq });

describe('Cache', () => {
  it('applies a page of changes and its cursor in one transaction, and lists, filters and searches', () => {
    const { cache } = Cache.open(path.join(tmpDir(), 'cache.db'));
    cache.applyPage(
      [
        change(1, 'ticket', 't1', serverTicket(1)),
        change(2, 'ticket', 't2', serverTicket(2, { priority: 'low', status: 'pending', assigneeId: 'u1' })),
        change(3, 'comment', 'c1', { id: 'c1', ticketId: 't2', authorId: 'u1', visibility: 'internal', body: 'replaced the toner cartridge', createdAt: 5 }),
        change(4, 'user', 'u1', { id: 'u1', name: 'Bob', email: 'bob@example.com', role: 'agent', disabled: false }),
      ],
      4,
    );
    expect(cache.syncCursor).toBe(4);
    expect(cache.tickets.list({}, { field: 'number', dir: 'asc' }, 0, 10, null).items.map((t) => t.number)).toEqual([1, 2]);
    expect(cache.tickets.list({ queueId: 'q1' }, { field: 'number', dir: 'asc' }, 0, 10, null).total).toBe(1);
    expect(cache.tickets.list({ assignee: 'me' }, { field: 'number', dir: 'asc' }, 0, 10, 'u1').items[0]!.id).toBe('t2');
    expect(cache.tickets.list({ assignee: 'unassigned' }, { field: 'number', dir: 'asc' }, 0, 10, null).items[0]!.id).toBe('t1');
    expect(cache.tickets.list({ tag: 'hw', status: ['pending'] }, { field: 'number', dir: 'asc' }, 0, 10, null).total).toBe(1);
    expect(cache.tickets.search('toner', 10).map((h) => h.ticket.id)).toEqual(['t2']);
    expect(cache.tickets.search('printers', 10)).toHaveLength(2);
    const detail = cache.tickets.detail({ number: 2 })!;
    expect(detail.comments[0]).toMatchObject({ internal: true, authorName: 'Bob' });
    expect(detail.ticket).toMatchObject({ requester: 'Ana', requesterEmail: 'ana@example.com', resolutionDueAt: 1002 });
  });

  it('a page that fails half-way leaves nothing applied', () => {
    const { cache } = Cache.open(path.join(tmpDir(), 'cache.db'));
    expect(() => cache.applyPage([change(1, 'ticket', 't1', serverTicket(1)), change(2, 'ticket', 't2', { broken: true })], 2)).toThrow();
    expect(cache.tickets.count()).toBe(0);
    expect(cache.syncCursor).toBe(0);
  });

  it('a bulk page defers search indexing; a crash before the rebuild is finished at the next open', () => {
    const file = path.join(tmpDir(), 'cache.db');
    const { cache } = Cache.open(file);
    cache.applyPage([change(1, 'ticket', 't1', serverTicket(1, { subject: 'Keyboard missing keys' }))], 1, undefined, { deferIndex: true });
    expect(cache.indexDeferred).toBe(true);
    expect(cache.tickets.search('keyboard', 10)).toHaveLength(0);
    cache.close(); // as if the process died here
    const reopened = Cache.open(file).cache;
    expect(reopened.indexDeferred).toBe(false);
    expect(reopened.tickets.search('keyboard', 10)).toHaveLength(1);
    reopened.applyPage([change(2, 'ticket', 't2', serverTicket(2, { subject: 'Mouse missing' }))], 2, undefined, { deferIndex: true });
    reopened.finishDeferredIndex();
    expect(reopened.tickets.search('missing', 10)).toHaveLength(2);
  });

  it('an initial bulk sync builds the ticket and comment indexes once at the end; a crash in between rebuilds them at the next open', () => {
    const file = path.join(tmpDir(), 'cache.db');
    const { cache } = Cache.open(file);
    const indexes = () => indexesOf(file);
    const before = indexes();
    expect(before).toEqual(expect.arrayContaining(['index tickets_queue_status_updated', 'index comments_ticket', 'trigger tickets_ai', 'trigger comments_au']));
    cache.applyPage([change(1, 'ticket', 't1', serverTicket(1))], 1, undefined, { deferIndex: true });
    expect(indexes()).toEqual([]);
    // Later pages of the same run do not drop anything again; the end builds everything back.
    cache.applyPage([change(2, 'ticket', 't2', serverTicket(2))], 2, undefined, { deferIndex: true });
    cache.finishDeferredIndex();
    expect(indexes()).toEqual(before);
    expect(cache.tickets.list({ queueId: 'q1', status: ['open'] }, { field: 'updatedAt', dir: 'desc' }, 0, 10, null).items.map((t) => t.id)).toEqual(['t1']);

    // A delta sync (cursor past 0) keeps its indexes while it defers search indexing.
    cache.applyPage([change(3, 'ticket', 't3', serverTicket(3))], 3, undefined, { deferIndex: true });
    expect(indexes()).toEqual(before);
    cache.finishDeferredIndex();

    // Killed during an initial sync: the next open puts the indexes back.
    const second = path.join(tmpDir(), 'cache.db');
    const first = Cache.open(second).cache;
    first.applyPage([change(1, 'ticket', 't1', serverTicket(1))], 1, undefined, { deferIndex: true });
    first.close();
    const reopened = Cache.open(second).cache;
    expect(indexesOf(second)).toEqual(before);
    // The triggers work again: a later write is searchable without a rebuild.
    reopened.applyPage([change(2, 'ticket', 't2', serverTicket(2, { subject: 'Webcam flickers' }))], 2);
    expect(reopened.tickets.search('webcam', 10).map((h) => h.ticket.id)).toEqual(['t2']);
    reopened.close();
  });

  it('moves a corrupt database aside, rebuilds it, and keeps the outbox rows it can read', () => {
    const file = path.join(tmpDir(), 'cache.db');
    writeFileSync(file, 'this is not a database at all'.repeat(200));
    const opened = Cache.open(file);
    expect(opened.movedAside).toMatch(/cache\.db\.corrupt-/);
    expect(opened.cache.tickets.count()).toBe(0);
  });
});
