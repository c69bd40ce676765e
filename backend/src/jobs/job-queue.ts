import { Queue, Worker } from 'bullmq';
import type { JobRepository } from './job-repository';
import type { JobRunner } from './job-runner';

/**
 * Where queued jobs wait for a worker. The job record in the database is always the source of
 * truth; a queue only decides who runs what, when.
 */
export interface JobQueue {
  readonly kind: 'local' | 'bullmq';
  start(): Promise<void>;
  /** A job became queued (requested, approved or retried). */
  enqueue(jobId: string): Promise<void>;
  /** Stops taking work; running jobs are aborted by the runner's shutdown. */
  stop(): Promise<void>;
}

/**
 * The default: an in-process pool that claims queued jobs from the database, when a job is queued
 * here and on every `poll()` (the lifecycle's `job-queue` loop: jobs queued by other processes).
 */
export class LocalJobQueue implements JobQueue {
  readonly kind = 'local' as const;
  private stopped = true;
  private pumping = false;
  private again = false;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly repo: JobRepository,
    private readonly runner: JobRunner,
    private readonly concurrency: number,
    /** Which runbooks this pool may run (the rest wait for the worker processes). */
    private readonly accepts: (runbook: string) => boolean,
    /** A claim that failed (the database is unreachable: the next poll tries again) or a run that threw. */
    private readonly onError: (what: 'job-queue.claim' | 'job-runner', err: unknown) => void,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
  }

  /** Claims what it can run now. */
  poll(): Promise<void> {
    return this.pump();
  }

  async enqueue(): Promise<void> {
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        const free = this.concurrency - this.running.size;
        if (free <= 0) break;
        const ids = await this.repo.queuedIds(this.accepts, free);
        for (const id of ids) {
          if (this.stopped) break;
          const p: Promise<void> = this.runner
            .run(id)
            .catch((err: unknown) => this.onError('job-runner', err))
            .finally(() => {
              this.running.delete(p);
              void this.pump();
            });
          this.running.add(p);
        }
      } while (this.again && !this.stopped);
    } catch (err) {
      // The database is unreachable: the health check reports it, and the next poll tries again.
      this.onError('job-queue.claim', err);
    } finally {
      this.pumping = false;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.running);
  }
}

const QUEUE_NAME = 'opsdesk-jobs';

/** With REDIS_URL: BullMQ distributes jobs over every backend instance's workers. */
export class BullJobQueue implements JobQueue {
  readonly kind = 'bullmq' as const;
  private queue: Queue | null = null;
  private worker: Worker | null = null;

  constructor(
    private readonly redisUrl: string,
    private readonly repo: JobRepository,
    private readonly runner: JobRunner,
    private readonly concurrency: number,
    private readonly accepts: (runbook: string) => boolean,
    /** Redis connection errors of the queue and the worker (logged, rate-limited). */
    private readonly onRedisError: (err: Error) => void,
    private readonly prefix = 'opsdesk',
  ) {}

  private connection() {
    const u = new URL(this.redisUrl);
    return {
      host: u.hostname,
      port: Number(u.port || 6379),
      username: u.username || undefined,
      password: u.password ? decodeURIComponent(u.password) : undefined,
      db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
      tls: u.protocol === 'rediss:' ? {} : undefined,
      maxRetriesPerRequest: null,
    };
  }

  async start(): Promise<void> {
    this.queue = new Queue(QUEUE_NAME, { connection: this.connection(), prefix: this.prefix });
    this.queue.on('error', this.onRedisError);
    this.worker = new Worker(
      QUEUE_NAME,
      async (job) => {
        const jobId = (job.data as { jobId: string }).jobId;
        await this.runner.run(jobId);
      },
      { connection: this.connection(), prefix: this.prefix, concurrency: this.concurrency, autorun: true },
    );
    this.worker.on('error', this.onRedisError);
    // Jobs queued in the database while Redis was empty or lost (BullMQ ignores duplicate ids).
    for (const id of await this.repo.queuedIds(this.accepts, 10_000)) await this.enqueue(id);
  }

  async enqueue(jobId: string): Promise<void> {
    await this.queue!.add('run', { jobId }, { jobId, removeOnComplete: true, removeOnFail: 1000, attempts: 1 });
  }

  /** Queued entries for the purge-queue runbook. */
  async waitingCount(): Promise<number> {
    return this.queue ? await this.queue.count() : 0;
  }

  /**
   * Closes the worker, then the queue. With Redis down (or after it was down) BullMQ's close can wait
   * forever on its blocking connection: after BULL_CLOSE_GRACE_MS the connections are dropped instead.
   */
  async stop(): Promise<void> {
    for (const part of [this.worker, this.queue]) {
      if (!part) continue;
      if (await within(part.close(), BULL_CLOSE_GRACE_MS, this.onRedisError)) continue;
      this.onRedisError(new Error(`BullMQ ${part === this.worker ? 'worker' : 'queue'} did not close within ${BULL_CLOSE_GRACE_MS} ms; dropping its connections`));
      // disconnect() can wait on the same dead connection: it is bounded the same way.
      await within(part.disconnect(), BULL_CLOSE_GRACE_MS, this.onRedisError);
    }
  }
}

/** Whether `p` settled within `ms`; its failure is reported and counts as settled (the caller moves on either way). */
async function within(p: Promise<unknown>, ms: number, onError: (err: Error) => void): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = p.then(
    () => true,
    (err: unknown) => {
      onError(err as Error);
      return true;
    },
  );
  const result = await Promise.race([settled, new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)))]);
  clearTimeout(timer);
  return result;
}

const BULL_CLOSE_GRACE_MS = 3000;
