import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip } from 'node:zlib';
import { SnapshotEnd, SnapshotHeader, SYNC_ENTITIES, type SnapshotRecord } from '../../../shared/api/sync';
import type { ApiClient } from '../api/api-client';
import { routePath } from '../api/route-forwarder';
import type { Cache } from '../cache/cache';
import { CoreError } from '../errors';

export const SNAPSHOT_PATH = routePath('sync.snapshot');
/** Records applied per cache transaction. */
export const SNAPSHOT_BATCH = 10_000;

export interface SnapshotHooks {
  /** Lays pending local edits back over fresh rows, inside each batch's transaction. */
  rebase: (ticketIds: Set<string>) => void;
  /** After each batch: records applied so far (this attempt and any it resumes) and the total. */
  progress: (done: number, total: number, touched: Set<string>) => void;
  /** Records per transaction (SNAPSHOT_BATCH). */
  batchSize?: number;
}

export type SnapshotOutcome = { kind: 'applied'; cursor: number; count: number } | { kind: 'unsupported' };

const ENTITIES = new Set<string>(SYNC_ENTITIES);

/**
 * A first sync from the server's snapshot (GET /sync/snapshot, gzip NDJSON): records are applied
 * in batches of SNAPSHOT_BATCH, each in one transaction with how far it got, and the cursor is set
 * to the snapshot's only once the end line arrived. A stream cut short leaves whole batches and
 * cursor 0; the next attempt resumes after the last batch (or, when the server can no longer resume
 * it, drops what was synced and starts over). A server without the route answers `unsupported`.
 */
export async function syncFromSnapshot(cache: Cache, api: ApiClient, hooks: SnapshotHooks): Promise<SnapshotOutcome> {
  let resume = cache.snapshotProgress();
  let opened: Awaited<ReturnType<ApiClient['stream']>>;
  // From a backend on this machine the lines come uncompressed (gzip would only cost CPU on both ends).
  const headers = { 'accept-encoding': api.local ? 'identity' : 'gzip' };
  try {
    opened = await api.stream(SNAPSHOT_PATH, { query: resume ? { at: resume.at, after: resume.after } : {}, timeoutMs: 120_000, headers });
  } catch (err) {
    if (err instanceof CoreError && err.code === 'not_supported') return { kind: 'unsupported' };
    if (!(err instanceof CoreError && err.code === 'conflict' && resume)) throw err;
    // The feed moved past what this snapshot can be resumed from (compaction, a restored server).
    cache.clearSynced();
    resume = null;
    opened = await api.stream(SNAPSHOT_PATH, { timeoutMs: 120_000, headers });
  }
  const lines = ndjson(decoded(opened.stream, opened.encoding));
  try {
    return await applyStream(cache, lines, resume?.done ?? 0, hooks);
  } finally {
    // Whatever ended the reading (the end line, a bad line, a failed batch), the connection is let go.
    await lines.return(undefined);
  }
}

async function applyStream(cache: Cache, lines: AsyncGenerator<string>, base: number, hooks: SnapshotHooks): Promise<SnapshotOutcome> {
  const first = await lines.next();
  if (first.done) throw cutShort(0);
  const header = SnapshotHeader.parse(JSON.parse(first.value));
  hooks.progress(base, base + header.total, new Set());
  let batch: SnapshotRecord[] = [];
  let count = 0;
  const flush = () => {
    count += batch.length;
    const touched = cache.applySnapshot(batch, { at: header.cursor, done: base + count }, hooks.rebase);
    batch = [];
    hooks.progress(base + count, base + header.total, touched);
  };
  for await (const line of lines) {
    const value = JSON.parse(line) as { kind?: string };
    if (value.kind === 'end') {
      if (batch.length) flush();
      const end = SnapshotEnd.parse(value);
      if (end.count !== count || end.cursor !== header.cursor) throw new CoreError('internal', `The snapshot ended with ${end.count} records at cursor ${end.cursor}; ${count} arrived for cursor ${header.cursor}`);
      cache.finishSnapshot(end.cursor);
      return { kind: 'applied', cursor: end.cursor, count: base + count };
    }
    batch.push(record(value));
    if (batch.length >= (hooks.batchSize ?? SNAPSHOT_BATCH)) flush();
  }
  if (batch.length) flush();
  throw cutShort(count);
}

function cutShort(count: number): CoreError {
  return new CoreError('offline', `The snapshot stream ended early after ${count} records; the next sync resumes it`);
}

function record(value: unknown): SnapshotRecord {
  const r = value as Partial<SnapshotRecord>;
  if (typeof r.seq !== 'number' || typeof r.id !== 'string' || typeof r.entity !== 'string' || !ENTITIES.has(r.entity)) {
    throw new CoreError('internal', `The server sent a malformed snapshot line: ${JSON.stringify(value).slice(0, 200)}`);
  }
  return r as SnapshotRecord;
}

/** The body decoded to UTF-8 text; a broken connection or a corrupt body errors the returned stream. */
function decoded(stream: Readable, encoding: string | null): Readable {
  let out: Readable;
  if (encoding === 'gzip' || encoding === 'br') {
    const inflate = encoding === 'gzip' ? createGunzip() : createBrotliDecompress();
    stream.on('error', (err) => inflate.destroy(err));
    inflate.on('close', () => stream.destroy());
    out = stream.pipe(inflate);
  } else if (!encoding || encoding === 'identity') {
    out = stream;
  } else {
    stream.destroy();
    throw new CoreError('internal', `The snapshot came with an unknown content-encoding: ${encoding}`);
  }
  return out.setEncoding('utf8');
}

/**
 * The lines of a stream, one page of text at a time. A connection that drops surfaces as an
 * `offline` error, so the sync engine treats it like any other lost connection.
 */
async function* ndjson(stream: Readable): AsyncGenerator<string> {
  let rest = '';
  try {
    for await (const chunk of stream) {
      const text = rest + (chunk as string);
      const parts = text.split('\n');
      rest = parts.pop()!;
      for (const p of parts) if (p) yield p;
    }
  } catch (err) {
    throw new CoreError('offline', `The snapshot stream broke off: ${(err as Error).message}`);
  }
  if (rest) yield rest;
}
