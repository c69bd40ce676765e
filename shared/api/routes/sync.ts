import { BatchRequest, BatchResponse, SyncChangesQuery, SyncPage, SyncSnapshotQuery } from '../sync';
import { defineRoutes } from '../route';

/**
 * Delta sync: every change the caller may see after `since`, in commit order, with tombstones for
 * deletes and for records that left the caller's queues; page until `done`, then keep `nextCursor`.
 */
export const SYNC_ROUTES = defineRoutes('sync', {
  'sync.changes': { method: 'GET', path: '/sync/changes', summary: 'The change feed after a cursor', access: { role: 'agent', scope: 'read' }, query: SyncChangesQuery, response: SyncPage },
  'sync.snapshot': { method: 'GET', path: '/sync/snapshot', summary: 'A first sync in one gzip NDJSON stream: the latest visible record of each entity as of a feed cursor, then continue with /sync/changes from it', access: { role: 'agent', scope: 'read' }, query: SyncSnapshotQuery, produces: 'file', client: 'core' },
  'sync.batch': { method: 'POST', path: '/sync/batch', summary: 'Offline writes replayed together: each runs as its own request with its own Idempotency-Key; results in order', access: { role: 'agent', scope: 'write' }, body: BatchRequest, response: BatchResponse, client: 'core' },
});
