import { randomUUID } from 'node:crypto';
import { JobLogLine } from '../../../shared/api/jobs';
import type { EventPayload } from '../../../shared/ipc';
import type { Logger } from '../ports';

/** The socket the tails are asked for on (the workspace's live feed). */
export interface LiveSocket {
  send(event: string, payload: unknown): void;
}

type LogBatch = EventPayload<'jobs.log'>;

/**
 * Live job-log subscriptions of the renderer, multiplexed on one server tail per job: the server
 * tails a job for the socket from the earliest line any subscription still needs, and each
 * subscription is sent only the lines after its own last one (no repeats, no gaps). The server
 * forgets a socket's tails when it drops, so `reconnected()` asks for them again.
 */
export class JobLogTails {
  /** Subscription → the job and the last line that subscription has been sent. */
  private readonly subs = new Map<string, { jobId: string; lastSeq: number }>();

  constructor(
    private readonly socket: () => LiveSocket | null,
    private readonly emit: (batch: LogBatch) => void,
    private readonly logger: Logger,
  ) {}

  /**
   * A new subscription that has every line up to `lastSeq`; unless the log has ended (`done`),
   * live lines follow as `jobs.log` events.
   */
  subscribe(jobId: string, lastSeq: number, done: boolean): string {
    const subscriptionId = `log-${randomUUID()}`;
    if (done) return subscriptionId;
    this.subs.set(subscriptionId, { jobId, lastSeq });
    this.follow(jobId);
    return subscriptionId;
  }

  /** Ends a subscription; the server's tail stops with the job's last one. */
  unsubscribe(subscriptionId: string): void {
    const jobId = this.subs.get(subscriptionId)?.jobId;
    this.subs.delete(subscriptionId);
    if (jobId && !this.jobs().has(jobId)) this.socket()?.send('job.unsubscribe', { jobId });
  }

  /** A new workspace: its socket has no tails. */
  clear(): void {
    this.subs.clear();
  }

  /** The live socket is connected again: follow every tail again from where each stopped. */
  reconnected(): void {
    for (const jobId of this.jobs()) this.follow(jobId);
  }

  /** A pushed `job.log` or `job.log.end` (socket.io sends them bare, without the event envelope). */
  received(type: 'job.log' | 'job.log.end', raw: unknown): void {
    const data = (raw ?? {}) as { jobId?: string; lines?: unknown };
    const done = type === 'job.log.end';
    const lines = done ? [] : JobLogLine.array().safeParse(data.lines).data;
    if (!lines) return this.logger.warn('job log batch outside the contract', { jobId: data.jobId });
    for (const [subscriptionId, sub] of this.subs) {
      if (sub.jobId !== data.jobId) continue;
      const fresh = lines.filter((l) => l.seq > sub.lastSeq);
      if (fresh.length) sub.lastSeq = fresh[fresh.length - 1]!.seq;
      if (fresh.length || done) this.emit({ subscriptionId, jobId: sub.jobId, lines: fresh, done });
      if (done) this.subs.delete(subscriptionId);
    }
  }

  private jobs(): Set<string> {
    return new Set([...this.subs.values()].map((x) => x.jobId));
  }

  /** Asks the server to tail a job's log from the earliest line any subscription still needs. */
  private follow(jobId: string): void {
    const seqs = [...this.subs.values()].filter((x) => x.jobId === jobId).map((x) => x.lastSeq);
    if (seqs.length) this.socket()?.send('job.subscribe', { jobId, fromSeq: Math.min(...seqs) });
  }
}
