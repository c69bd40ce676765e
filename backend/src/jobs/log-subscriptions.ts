import type { Socket } from 'socket.io';
import { JobSubscribe, type JobLogLine } from '../../../shared/api/jobs';
import { hasRole } from '../../../shared/domain/roles';
import type { Principal } from '../auth/auth-service';
import type { JobRepository } from './job-repository';
import { isFinished } from './job-runner';
import type { LogBus } from './log-bus';

const PAGE = 5000;
const IDLE_POLL_MS = 250;
/** Pause sending while this many packets wait in the socket's buffer (slow client: bounded memory). */
const MAX_BUFFERED_PACKETS = 64;

/**
 * Live job logs over socket.io: `job.subscribe {jobId, fromSeq}` replays persisted lines after
 * fromSeq, then follows new ones as they are stored, then sends `job.log.end`. The database is the
 * only source, so resuming from a sequence never loses or repeats a line, whichever process wrote it.
 */
export function jobLogSubscriptions(repo: JobRepository, bus: LogBus, canRead: (role: Principal['role'], runbook: string) => Promise<boolean>, onError: (what: 'job-log-tail', err: unknown) => void) {
  return (socket: Socket, principal: Principal) => {
    const tails = new Map<string, { stop: () => void }>();
    socket.on('job.subscribe', async (payload: unknown, ack?: (r: unknown) => void) => {
      const reply = typeof ack === 'function' ? ack : () => {};
      const parsed = JobSubscribe.safeParse(payload);
      if (!parsed.success) return reply({ ok: false, error: 'validation_failed', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      if (!hasRole(principal.role, 'oncall')) return reply({ ok: false, error: 'forbidden', message: 'Job logs need the oncall role' });
      const { jobId, fromSeq } = parsed.data;
      const job = await repo.get(jobId);
      if (!job) return reply({ ok: false, error: 'not_found', message: `Job ${jobId} not found` });
      if (!(await canRead(principal.role, job.runbook))) return reply({ ok: false, error: 'forbidden', message: `The log of ${job.runbook} needs the role that runs it` });
      tails.get(jobId)?.stop();
      tails.set(jobId, follow(socket, repo, bus, jobId, fromSeq, onError));
      reply({ ok: true, status: job.status, lastSeq: Number(job.log_seq) });
    });
    socket.on('job.unsubscribe', (payload: { jobId?: string }) => {
      if (payload?.jobId) {
        tails.get(payload.jobId)?.stop();
        tails.delete(payload.jobId);
      }
    });
    socket.on('disconnect', () => {
      for (const t of tails.values()) t.stop();
      tails.clear();
    });
  };
}

function follow(socket: Socket, repo: JobRepository, bus: LogBus, jobId: string, fromSeq: number, onError: (what: 'job-log-tail', err: unknown) => void): { stop: () => void } {
  let stopped = false;
  let last = fromSeq;
  let wake: (() => void) | null = null;
  const off = bus.on(jobId, () => wake?.());
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        wake = null;
        resolve();
      }
      wake = done;
    });
  const buffered = () => (socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0;
  void (async () => {
    try {
      while (!stopped && socket.connected) {
        const lines: JobLogLine[] = await repo.logs(jobId, last, PAGE);
        if (lines.length) {
          last = lines[lines.length - 1]!.seq;
          socket.emit('job.log', { jobId, lines });
          while (!stopped && buffered() > MAX_BUFFERED_PACKETS) await sleep(10);
          continue;
        }
        const job = await repo.get(jobId);
        if (!job || (isFinished(job.status) && last >= Number(job.log_seq))) {
          socket.emit('job.log.end', { jobId, status: job?.status ?? 'failed', lastSeq: last });
          break;
        }
        await sleep(IDLE_POLL_MS);
      }
    } catch (err) {
      // The socket or the database went away; the client resubscribes from its last sequence.
      onError('job-log-tail', err);
    } finally {
      off();
    }
  })();
  return {
    stop: () => {
      stopped = true;
      wake?.();
    },
  };
}
