import type { Config } from '../platform/config/config';
import { JOB_POLL_MS, PORTABLE_BUILTINS, registerOperations } from '../jobs/operations';
import { auditConfigChanges } from '../audit/config-audit';
import { auditMetricsToken } from '../health/metrics-access';
import { LocalJobQueue } from '../jobs/job-queue';
import { jobLogSubscriptions } from '../jobs/log-subscriptions';
import { NO_DESKTOPS } from '../notifications/senders';
import { NO_ROOMS } from '../queues/queue-service';

/** Processes without a socket.io server: no queue rooms to follow, no desktop to reach. */
const NO_LIVE = { ...NO_ROOMS, ...NO_DESKTOPS };
import { LiveServer } from '../platform/realtime/live-server';
import { SLA_WATCH_INTERVAL_MS } from '../sla/sla-watcher';
import { COMPACTION_EVERY_MS } from '../platform/compaction';
import { wireLive } from '../sync/live-wiring';
import { registerProbes } from '../probes/register';
import { registerScrapes } from '../scrape/register';
import type { Services } from './services';
import { openInfrastructure, wireServices, type InfrastructureOptions } from './wiring';

/**
 * The one wiring function of each backend process. Each builds the services from the
 * infrastructure and registers the process's background work with its lifecycle; the process
 * starts the lifecycle when it is ready (`lifecycle.start()`) and ends with `lifecycle.stop()`,
 * which also closes Redis and the database.
 */

/** The HTTP + socket.io server: every loop (monitoring, SLA watcher, jobs, schedules, procedures). */
export function serverServices(config: Config, options: InfrastructureOptions): { services: Services; live: LiveServer } {
  const infra = openInfrastructure(config, options);
  // The socket.io server is built from the core services, before the helpdesk: queue membership
  // changes move agents' sockets between rooms. It serves once the app attaches it to HTTP.
  const services = wireServices(infra, (core) => new LiveServer(core));
  const live = services.rooms;
  wireLive(live, services);
  live.onConnect(jobLogSubscriptions(services.jobRepo, services.jobLogs, (role, runbook) => services.jobs.canReadLog(role, runbook), (what, err) => services.lifecycle.report(what, err)));
  const { lifecycle } = services;
  lifecycle.onStart('metrics-token.audit', () => auditMetricsToken(services.database.db, services.audit, config.METRICS_TOKEN));
  lifecycle.onStart('auth.seal-totp-seeds', async () => void (await services.auth.sealTotpSeeds()));
  lifecycle.onStart('config.audit', () => auditConfigChanges(services.database.db, services.audit, config));
  services.monitoringRounds.register(lifecycle);
  registerProbes(services);
  registerScrapes(services, services.serviceManager.declared());
  lifecycle.every('compaction', COMPACTION_EVERY_MS, () => services.compaction.run(), { once: true });
  lifecycle.every('sla-watcher', SLA_WATCH_INTERVAL_MS, () => services.slaWatcher.tick(), { once: true });
  // Scheduled report emails: each period once per deployment (the leader's round; the claim row guards a hand-over).
  lifecycle.every('report-emails', config.REPORT_EMAIL_POLL_SECONDS * 1000, async () => void (await services.reportMailer.round()), { once: true });
  const syncEvery = services.maintenance.syncEveryMs;
  if (syncEvery) lifecycle.every('maintenance-mode', syncEvery, () => services.maintenance.sync(), { immediate: true });
  registerMail(services);
  registerOperations(services, services.workerService);
  return { services, live };
}

/** The email channel: the IMAP fetcher (one connection per enabled mailbox) and the SMTP sender's retry loop. */
function registerMail(services: Services): void {
  const { lifecycle, config } = services;
  if (config.MAIL_FETCHER) {
    lifecycle.onStart('mail-fetcher', () => services.mailFetcher.start());
    lifecycle.onStop('mail-fetcher', () => services.mailFetcher.stop());
  }
  lifecycle.every('mail-outbound', 5000, () => services.mailer.sendDue(), { immediate: true });
  lifecycle.onStop('mail-outbound', () => services.mailer.close());
}

/** A CLI command: the services without background work. */
export function cliServices(config: Config, options: InfrastructureOptions): Services {
  return wireServices(openInfrastructure(config, { ...options, oneShot: true }), () => NO_LIVE);
}

/**
 * A job-worker process: claims queued command runbooks and log cleanups from the shared database
 * (`concurrency` at a time, polling every 500 ms) and runs them.
 */
export function workerServices(config: Config, options: InfrastructureOptions & { concurrency: number }): Services & { workerQueue: LocalJobQueue } {
  const services = wireServices(openInfrastructure(config, options), () => NO_LIVE);
  const { lifecycle, jobRepo, jobRunner, runbooks } = services;
  const workerQueue = new LocalJobQueue(jobRepo, jobRunner, options.concurrency, (r) => PORTABLE_BUILTINS.has(r) || !runbooks.isBuiltin(r), (what, err) => lifecycle.report(what, err));
  lifecycle.onStart('job-queue.start', () => workerQueue.start());
  lifecycle.every('job-queue', JOB_POLL_MS / 2, () => workerQueue.poll(), { immediate: true });
  lifecycle.onStop('job-queue', async () => {
    await Promise.all([workerQueue.stop(), jobRunner.shutdown()]);
  });
  return { ...services, workerQueue };
}
