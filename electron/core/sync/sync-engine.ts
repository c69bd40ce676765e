import { EventEmitter } from 'node:events';
import { routePath } from '../api/route-forwarder';
import type { SyncChange, SyncPage } from '../../../shared/api/sync';
import type { SyncProgress } from '../../../shared/ipc';
import type { ApiClient } from '../api/api-client';
import type { Cache } from '../cache/cache';
import { CoreError } from '../errors';
import type { Outbox } from '../outbox/outbox';
import { silentLogger, type Logger } from '../ports';
import { syncFromSnapshot } from './snapshot-sync';

export const SYNC_PATH = routePath('sync.changes');
/** Pages at least this large defer search indexing to the end of the run. */
export const BULK_PAGE = 500;

/**
 * Initial and delta sync from the server's change feed. Each page is applied with its cursor in
 * one transaction (a crash never leaves half a page), pending local edits are laid back over fresh
 * rows, and the outbox is replayed afterwards. Single-flight: a request during a run queues one more.
 * Events: 'progress' (SyncProgress), 'tickets' (ids), 'changes' (SyncChange[] of a delta page).
 */
export class SyncEngine extends EventEmitter {
  private running: Promise<void> | null = null;
  private again = false;
  private progress: SyncProgress;

  constructor(
    private readonly cache: Cache,
    private readonly api: ApiClient,
    private readonly outbox: Outbox,
    /** `snapshot: false` makes a first sync page the change feed from 0 (the path older servers get). */
    private readonly options: { pageSize?: number; logger?: Logger; snapshot?: boolean; snapshotBatch?: number } = {},
  ) {
    super();
    const last = cache.getMeta('sync.lastSyncedAt');
    this.progress = { phase: 'idle', done: 0, total: null, lastSyncedAt: last ? Number(last) : null, error: null };
  }

  status(): SyncProgress {
    return this.progress;
  }

  get cursor(): number {
    return this.cache.syncCursor;
  }

  /** Syncs until the feed is exhausted, then replays the outbox. */
  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.runOnce();
      } while (this.again);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runOnce(): Promise<void> {
    const initial = this.cache.syncCursor === 0;
    let done = 0;
    this.setProgress({ phase: initial ? 'initial' : 'delta', done, total: null, error: null, step: 'changes' });
    try {
      // A snapshot fills an empty cache (or resumes its own partial one); a cache that already holds
      // server rows at cursor 0 (written by the outbox's answers) pages the feed, whose deletes reach them.
      const snapshot = initial && this.options.snapshot !== false && (this.cache.snapshotProgress() !== null || !this.cache.holdsSyncedRecords());
      if (snapshot) done = await this.snapshot();
      const fetchPage = (since: number) => {
        const p = this.api.request<SyncPage>('GET', SYNC_PATH, { query: { since, limit: this.options.pageSize ?? 1000 }, timeoutMs: 60_000 }).then((r) => ({ since, page: r.data }));
        // A prefetch may fail while the previous page is still being applied; it is awaited (and thrown) later.
        p.catch(() => undefined);
        return p;
      };
      let next = fetchPage(this.cache.syncCursor);
      for (;;) {
        const { since, page } = await next;
        if (page.resync || page.nextCursor < since) {
          // The server's feed restarted (restored backup, new database) or was compacted past our cursor: start over, keep the outbox.
          (this.options.logger ?? silentLogger).warn(page.resync ? 'sync cursor older than the server keeps; resyncing from scratch' : 'sync cursor ahead of the server; resyncing from scratch', { since, next: page.nextCursor });
          this.cache.clearSynced();
          next = fetchPage(0);
          continue;
        }
        // Ask for the next page while this one is applied: the server and the cache work in parallel.
        if (!page.done) next = fetchPage(page.nextCursor);
        // Large pages (initial sync, long offline periods) index search once at the end.
        const deferIndex = page.changes.length >= BULK_PAGE;
        const touched = this.cache.applyPage(page.changes, page.nextCursor, (ids) => this.outbox.rebaseMany(ids), { deferIndex });
        done += page.changes.length;
        if (page.changes.length) {
          if (touched.size) this.emit('tickets', [...touched], initial);
          if (!initial) this.emit('changes', page.changes as SyncChange[]);
          else this.emit('initialPage', page.changes as SyncChange[]);
        }
        this.setProgress({ phase: initial ? 'initial' : 'delta', done, total: null, error: null, step: 'changes' });
        if (page.done) break;
      }
      if (this.cache.indexDeferred) {
        this.setProgress({ step: 'indexing' });
        // Let the event reach the window before the rebuild holds the thread.
        await new Promise((r) => setImmediate(r));
        this.cache.finishDeferredIndex();
      }
      this.setProgress({ phase: 'idle', done, total: done, lastSyncedAt: Date.now(), error: null, step: undefined });
    } catch (err) {
      const message = err instanceof CoreError && err.code === 'not_supported' ? 'This server has no delta-sync route yet' : (err as Error).message;
      this.setProgress({ phase: err instanceof CoreError && err.code === 'offline' ? 'idle' : 'error', done, total: null, error: message });
      if (err instanceof CoreError && ['offline', 'session_revoked', 'not_signed_in'].includes(err.code)) return;
      throw err;
    }
    await this.outbox.replay();
  }

  /** A first sync from the server's snapshot; answers the records applied (0 on an older server: the feed path follows). */
  private async snapshot(): Promise<number> {
    const outcome = await syncFromSnapshot(this.cache, this.api, {
      batchSize: this.options.snapshotBatch,
      rebase: (ids) => this.outbox.rebaseMany(ids),
      progress: (done, total, touched) => {
        if (touched.size) this.emit('tickets', [...touched], true);
        this.setProgress({ phase: 'initial', done, total, error: null, step: 'snapshot' });
      },
    });
    if (outcome.kind === 'unsupported') {
      (this.options.logger ?? silentLogger).info('the server has no snapshot route; paging the change feed from 0');
      return 0;
    }
    return outcome.count;
  }

  private setProgress(p: Partial<SyncProgress>): void {
    this.progress = { ...this.progress, ...p };
    this.emit('progress', this.progress);
  }
}
