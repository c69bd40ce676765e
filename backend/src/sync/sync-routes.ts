import { SYNC_ROUTES } from '../../../shared/api/routes/sync';
import type { SyncPage } from '../../../shared/api/sync';
import type { Services } from '../app/services';
import { notFound } from '../platform/http/errors';
import { principalOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';

/**
 * Delta sync: every change the caller may see after `since`, in commit order, with tombstones for
 * deletes and for records that left the caller's queues; page until `done`, then keep `nextCursor`.
 */
export function syncRoutes(s: Pick<Services, 'guard' | 'queueAccess' | 'changes' | 'compaction'>) {
  return routePlugin(SYNC_ROUTES, s.guard, {
    'sync.changes': async (req, reply) => {
      const principal = principalOf(req);
      const queueIds = principal.role === 'agent' ? await s.queueAccess.memberships(principal.userId) : [];
      const { since, limit, queue } = req.query;
      if (queue !== undefined && principal.role === 'agent' && !queueIds.includes(queue)) throw notFound('Queue');
      // Below what compaction removed, this cursor would miss deletes: the client starts over from 0.
      if (since > 0 && since < (await s.compaction.horizon())) return { changes: [], nextCursor: 0, done: true, resync: true as const };
      const body = await s.changes.readJson(principal, queueIds, since, limit, queue !== undefined ? { onlyQueue: queue } : {});
      // Already a serialized SyncPage (see ChangeFeed.readJson); a JSON string is sent as it is.
      return reply.header('content-type', 'application/json; charset=utf-8').send(body as unknown as SyncPage);
    },
  });
}
