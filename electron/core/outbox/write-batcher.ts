import { ROUTES, routePath } from '../../../shared/api/routes';
import { BatchResponse, MAX_BATCH, type BATCHABLE_ROUTES } from '../../../shared/api/sync';
import { httpError, type ApiClient, type ApiResponse } from '../api/api-client';
import { CoreError } from '../errors';

/** Bodies larger than this (attachments) are sent on their own, never in a batch. */
const MAX_BATCHED_BODY = 16 * 1024;

export type BatchableRoute = (typeof BATCHABLE_ROUTES)[number];

export interface Write {
  route: BatchableRoute;
  params?: Record<string, string>;
  body: unknown;
  idempotencyKey: string;
}

interface Queued {
  write: Write;
  resolve(res: ApiResponse<unknown>): void;
  reject(err: unknown): void;
}

/**
 * Sends the outbox's writes to the server. Writes started in the same turn of the event loop
 * travel together in one POST /sync/batch (up to MAX_BATCH), each with its own Idempotency-Key,
 * and every caller gets its own write's status and answer as if it had been sent alone. A server
 * without the batch route (older version) gets them one by one from then on.
 */
export class WriteBatcher {
  private queue: Queued[] = [];
  private scheduled = false;
  private batching = true;

  constructor(private readonly api: ApiClient) {}

  /** How many writes the replay should keep in flight: two batches' worth, or a few single requests. */
  get concurrency(): number {
    return this.batching ? 2 * MAX_BATCH : 6;
  }

  /** `size`: about how large the body is in JSON (the caller usually has it serialized already). */
  write(write: Write, size: number): Promise<ApiResponse<unknown>> {
    // A write carrying files goes alone: a batch stays a small request.
    if (!this.batching || size > MAX_BATCHED_BODY) return this.direct(write);
    return new Promise((resolve, reject) => {
      this.queue.push({ write, resolve, reject });
      if (this.queue.length >= MAX_BATCH) void this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private direct(w: Write): Promise<ApiResponse<unknown>> {
    return this.api.send(ROUTES[w.route].method, routePath(w.route, w.params), { body: w.body, idempotencyKey: w.idempotencyKey });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const items = this.queue.splice(0, MAX_BATCH);
    if (this.queue.length) {
      this.scheduled = true;
      setImmediate(() => void this.flush());
    }
    if (!items.length) return;
    try {
      // Every write carries its own key, so resending the whole batch after a lost answer is safe.
      const res = await this.api.send('POST', routePath('sync.batch'), { body: { requests: items.map((i) => i.write) }, retries: 3, timeoutMs: 120_000 });
      if (res.status === 404) {
        // No batch route on this server: send these and every later write one by one.
        this.batching = false;
        for (const i of items) this.direct(i.write).then(i.resolve, i.reject);
        return;
      }
      if (res.status < 200 || res.status >= 300) throw httpError(res.status, res.data);
      const { results } = BatchResponse.parse(res.data);
      items.forEach((item, n) => {
        const r = results[n];
        if (!r || r.status === 0) item.reject(new CoreError('internal', 'The server stopped the batch before this write; it is sent again'));
        else item.resolve({ status: r.status, data: r.body });
      });
    } catch (err) {
      for (const i of items) i.reject(err);
    }
  }
}
