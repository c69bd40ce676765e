import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { ROUTES, routePath } from '../../../shared/api/routes';
import { SYNC_ROUTES } from '../../../shared/api/routes/sync';
import type { BatchResponse, SyncPage } from '../../../shared/api/sync';
import type { Services } from '../app/services';
import { AppError, notFound } from '../platform/http/errors';
import { IDEMPOTENCY_HEADER } from '../platform/http/idempotency';
import { principalOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';

/** A request answering one of these is a server-side trouble: the batch stops, the rest is not run. */
const STOPS_BATCH = (status: number) => status >= 500 || status === 429;

/**
 * Delta sync: every change the caller may see after `since`, in commit order, with tombstones for
 * deletes and for records that left the caller's queues; page until `done`, then keep `nextCursor`.
 * The outbox's batch: each write runs as its own request of its route (same authentication, role
 * and scope checks, validation and Idempotency-Key handling as when sent alone), one after another.
 */
export function syncRoutes(s: Pick<Services, 'guard' | 'queueAccess' | 'changes' | 'compaction' | 'logger'>) {
  return routePlugin(SYNC_ROUTES, s.guard, {
    'sync.snapshot': async (req, reply) => {
      const principal = principalOf(req);
      const queueIds = principal.role === 'agent' ? await s.queueAccess.memberships(principal.userId) : [];
      const head = await s.changes.head();
      const { at = head, after } = req.query;
      // A resumed snapshot needs every change above its cursor still in the feed, and a feed that was not reset below it.
      if (at > head || at < (await s.compaction.horizon())) throw new AppError('conflict', 'This snapshot can no longer be resumed; start a new one');
      const snapshot = await s.changes.snapshot(principal, queueIds, at, after);
      // Level 1: most of the size for little CPU; the stream is read a page at a time, never whole.
      const gzip = createGzip({ level: 1, chunkSize: 64 * 1024 });
      pipeline(Readable.from(snapshot.lines), gzip).catch((err: Error) => {
        // A dropped connection ends the stream early; the client resumes from its last applied record.
        if (err.name !== 'AbortError' && (err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') s.logger.warn({ error: err.message, userId: principal.userId }, 'sync snapshot stream failed');
      });
      return reply
        .header('content-type', 'application/x-ndjson')
        .header('content-encoding', 'gzip')
        .header('cache-control', 'private, no-store')
        .header('x-snapshot-total', String(snapshot.header.total))
        .send(gzip);
    },
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
    'sync.batch': async (req) => {
      const results: BatchResponse['results'] = [];
      let stopped = false;
      for (const item of req.body.requests) {
        if (stopped) {
          results.push({ status: 0, body: null });
          continue;
        }
        const res = await req.server.inject({
          method: ROUTES[item.route].method,
          url: routePath(item.route, item.params),
          remoteAddress: req.ip,
          headers: {
            authorization: req.headers.authorization ?? '',
            [IDEMPOTENCY_HEADER]: item.idempotencyKey,
            ...(item.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(item.body === undefined ? {} : { payload: JSON.stringify(item.body) }),
        });
        const json = String(res.headers['content-type'] ?? '').includes('json') && res.body;
        results.push({ status: res.statusCode, body: json ? (JSON.parse(res.body) as unknown) : res.body || null });
        stopped = STOPS_BATCH(res.statusCode);
      }
      return { results };
    },
  });
}
