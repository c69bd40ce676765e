import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { SYNC_ROUTES } from '../../../shared/api/routes/sync';
import type { SyncPage } from '../../../shared/api/sync';
import type { Services } from '../app/services';
import { AppError, notFound } from '../platform/http/errors';
import { principalOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';
import { runBatch } from './batch-runner';

/** Whether an Accept-Encoding header takes gzip (absent: anything goes, as HTTP has it). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  if (header === undefined) return true;
  return [header]
    .flat()
    .join(',')
    .split(',')
    .some((part) => {
      const [coding, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return (coding === 'gzip' || coding === '*') && (q === undefined || Number(q) > 0);
    });
}

/**
 * Delta sync: every change the caller may see after `since`, in commit order, with tombstones for
 * deletes and for records that left the caller's queues; page until `done`, then keep `nextCursor`.
 * The outbox's batch: authenticated once, then each write runs through what its route does (role and
 * scope checks, validation and Idempotency-Key handling as when sent alone), one after another (batch-runner.ts).
 */
export function syncRoutes(s: Pick<Services, 'guard' | 'queueAccess' | 'changes' | 'compaction' | 'logger' | 'idempotency'>) {
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
      // A client that does not take gzip (the desktop talking to its own local backend) gets the lines as they are.
      const gzip = acceptsGzip(req.headers['accept-encoding']);
      const body = gzip ? createGzip({ level: 1, chunkSize: 64 * 1024 }) : new PassThrough();
      pipeline(Readable.from(snapshot.lines), body).catch((err: Error) => {
        // A dropped connection ends the stream early; the client resumes from its last applied record.
        if (err.name !== 'AbortError' && (err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') s.logger.warn({ error: err.message, userId: principal.userId }, 'sync snapshot stream failed');
      });
      if (gzip) reply.header('content-encoding', 'gzip');
      return reply
        .header('content-type', 'application/x-ndjson')
        .header('vary', 'accept-encoding')
        .header('cache-control', 'private, no-store')
        .header('x-snapshot-total', String(snapshot.header.total))
        .send(body);
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
    'sync.batch': async (req) => ({ results: await runBatch(req, s.idempotency, principalOf(req), req.body.requests) }),
  });
}
