import { z } from 'zod';
import { Id, Timestamp } from './common';

/** Record kinds that travel through delta sync. Later domains add theirs here. */
export const SYNC_ENTITIES = ['ticket', 'comment', 'ticket_event', 'queue', 'user', 'saved_view', 'alert', 'silence', 'incident', 'runbook', 'job', 'backup', 'maintenance'] as const;
export const SyncEntity = z.enum(SYNC_ENTITIES);
export type SyncEntity = z.infer<typeof SyncEntity>;

export const ChangeOp = z.enum(['upsert', 'delete']);
export type ChangeOp = z.infer<typeof ChangeOp>;

export const SyncChange = z.object({
  seq: z.number().int(),
  entity: SyncEntity,
  id: z.string(),
  op: ChangeOp,
  /** The record as of this change; null for deletes and tombstones. */
  data: z.unknown().nullable(),
  /** Why a delete was sent: the record was deleted, or it left the caller's visibility. */
  reason: z.enum(['deleted', 'left_visibility']).optional(),
  at: Timestamp,
});
export type SyncChange = z.infer<typeof SyncChange>;

export const SyncQuery = z.object({
  since: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});

export const SyncPage = z.object({
  changes: z.array(SyncChange),
  /** Pass as `since` next time. */
  nextCursor: z.number().int(),
  /** True when the caller has reached the end of the feed as of this read. */
  done: z.boolean(),
  /** The cursor is older than what the server compacted away: drop synced records and sync from 0. */
  resync: z.literal(true).optional(),
});
export type SyncPage = z.infer<typeof SyncPage>;

/** `GET /sync/changes`: the feed after `since`; `queue` backfills one queue from `since` (a member who just joined it pulls `queue=<id>&since=0`). */
export const SyncChangesQuery = SyncQuery.extend({
  queue: Id.optional(),
});

/**
 * `GET /sync/snapshot`: a first sync in one stream. Without `at`, a fresh snapshot as of the feed's
 * head; with `at` and `after`, the same snapshot resumed after the last record applied.
 */
export const SyncSnapshotQuery = z
  .object({
    at: z.coerce.number().int().min(0).optional(),
    after: z.coerce.number().int().min(0).default(0),
  })
  .refine((q) => q.at !== undefined || q.after === 0, { message: 'after needs at (a resumed snapshot names the cursor it was taken at)' });

/**
 * The snapshot's lines (NDJSON, gzip-encoded): one header, one record per line in sequence order,
 * one end line. A stream without the end line was cut short; keep `after` = the last `seq` applied
 * and resume with `at` = the header's cursor. Each record is the latest change of that record the
 * caller may see at or below the cursor, exactly what the change feed from 0 would leave in a cache.
 */
export const SnapshotHeader = z.object({ kind: z.literal('snapshot'), cursor: z.number().int(), after: z.number().int(), total: z.number().int() });
export type SnapshotHeader = z.infer<typeof SnapshotHeader>;
export const SnapshotRecord = z.object({ seq: z.number().int(), entity: SyncEntity, id: z.string(), data: z.unknown() });
export type SnapshotRecord = z.infer<typeof SnapshotRecord>;
export const SnapshotEnd = z.object({ kind: z.literal('end'), cursor: z.number().int(), count: z.number().int() });
export type SnapshotEnd = z.infer<typeof SnapshotEnd>;

/**
 * The writes the desktop's outbox may send together (POST /sync/batch): each runs as its own
 * request of the named route, with its own Idempotency-Key, so a batch retried after a lost answer
 * applies nothing twice.
 */
export const BATCHABLE_ROUTES = ['tickets.create', 'tickets.comments.create', 'tickets.update', 'alerts.ack', 'alerts.resolve'] as const;
export const MAX_BATCH = 50;

export const BatchRequest = z.object({
  requests: z
    .array(
      z.object({
        route: z.enum(BATCHABLE_ROUTES),
        params: z.record(z.string(), z.string().max(200)).optional(),
        body: z.unknown(),
        idempotencyKey: z.string().min(8).max(200),
      }),
    )
    .min(1)
    .max(MAX_BATCH),
});
export type BatchRequest = z.infer<typeof BatchRequest>;

/** Per request, in order: its status and JSON answer. Status 0: not run (the batch stopped at a server error). */
export const BatchResponse = z.object({ results: z.array(z.object({ status: z.number().int(), body: z.unknown() })) });
export type BatchResponse = z.infer<typeof BatchResponse>;
