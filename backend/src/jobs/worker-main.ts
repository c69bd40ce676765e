import os from 'node:os';
import { loadConfig } from '../platform/config/secrets';
import { workerServices } from '../app/processes';
import { createLogger } from '../platform/logging';

/**
 * One job-worker process (the `job-workers` service): claims queued command runbooks and log
 * cleanups from the shared database and runs them. The supervising backend restarts, scales and
 * stops these processes; a worker whose parent dies exits.
 */
async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, JOB_WORKERS: '0', OPS_SCHEDULERS: 'false', SERVICES_FILE: '' });
  const concurrency = Number(process.env.OPSDESK_WORKER_CONCURRENCY ?? 2) || 2;
  // Logs go to stderr, which the supervising backend captures into the service's log.
  const logger = createLogger(config, 2);
  const services = workerServices(config, { logger, concurrency });
  await services.lifecycle.start();
  const parent = process.ppid;
  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    // Never outlive the supervisor's patience: jobs still running are marked interrupted on its restart.
    setTimeout(() => process.exit(1), Number(process.env.OPSDESK_WORKER_STOP_MS ?? 8000)).unref();
    process.stderr.write(`job worker ${os.hostname()}:${process.pid} stopping (${why})\n`);
    await services.lifecycle.stop();
    logger.flush(() => process.exit(0));
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  // The supervisor holds our stdin open: end of input means it is gone.
  process.stdin.on('end', () => void stop('supervisor gone')).on('error', () => void stop('supervisor gone')).resume();
  // process.ppid is read once at start-up, so probe the supervisor's pid too.
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch (err) {
      void stop(`supervisor gone (${(err as NodeJS.ErrnoException).code ?? 'probe failed'})`);
    }
  }, 1000).unref();
  setInterval(() => {}, 1 << 30);
}

main().catch((err: unknown) => {
  process.stderr.write(`job worker failed: ${(err as Error).message}\n`);
  process.exit(1);
});
