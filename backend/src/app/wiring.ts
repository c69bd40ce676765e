import path from 'node:path';
import type { Logger } from 'pino';
import { AlertService } from '../alerts/alert-service';
import { ApiTokenService } from '../api-tokens/api-token-service';
import { AuditLog } from '../audit/audit-log';
import { AuthService } from '../auth/auth-service';
import { JwtSigner } from '../auth/jwt';
import { LoginThrottle } from '../auth/login-throttle';
import { SessionStore } from '../auth/session-store';
import { Totp } from '../auth/totp';
import type { Config } from '../platform/config/config';
import { openDatabase, pingDatabase, type DatabaseHandle } from '../platform/db/connect';
import { Escalator } from '../escalation/escalator';
import { Pager } from '../escalation/pager';
import { PolicyStore } from '../escalation/policy-store';
import { HealthChecks, storageCheck } from '../health/health-checks';
import { makeGuard } from '../platform/http/guards';
import { IdempotencyStore } from '../platform/http/idempotency';
import { Compaction } from '../platform/compaction';
import { IncidentService } from '../incidents/incident-service';
import { HeartbeatService } from '../integrations/heartbeat-service';
import { systemClock, type Clock } from '../platform/clock';
import { MaintenanceMode } from '../maintenance/maintenance-mode';
import { ServerMetrics } from '../platform/prometheus';
import { CollectorRegistry, hostCollector, jobBacklogCollector, redisCollector, serverCollector } from '../monitoring/collectors';
import { MetricStore } from '../monitoring/metric-store';
import { MonitoringRounds } from '../monitoring/monitoring';
import { HeldRelease } from '../notifications/held-release';
import { Notifier } from '../notifications/notifier';
import { PreferenceStore } from '../notifications/preference-store';
import { ContactMethodStore } from '../notifications/contact-methods';
import type { DesktopPush } from '../notifications/senders';
import { FeedService } from '../oncall/feed-service';
import { HandoffNotices } from '../oncall/handoff-notices';
import { ScheduleService } from '../oncall/schedule-service';
import { ApiProbe } from '../probes/api-probe';
import { ProbeRunner } from '../probes/probe-runner';
import { ProbeService } from '../probes/probe-service';
import { ScrapeRunner } from '../scrape/scrape-runner';
import { ScrapeService } from '../scrape/scrape-service';
import { Lifecycle } from '../platform/lifecycle';
import { connectRedis, logConnectionErrors } from '../platform/redis';
import { QueueAccess } from '../queues/queue-access';
import { QueueService, type QueueRooms } from '../queues/queue-service';
import { EventHub } from '../platform/realtime/event-hub';
import { ReportService } from '../reports/report-service';
import { ReportSchedules } from '../reports/report-schedules';
import { ReportMailer } from '../reports/report-mailer';
import { PendingConditions } from '../rules/pending-conditions';
import { RuleEvaluator } from '../rules/rule-evaluator';
import { RuleService } from '../rules/rule-service';
import { TicketSearchIndex } from '../search/fts';
import { SilenceService } from '../silences/silence-service';
import { SlaPolicies } from '../sla/sla-policies';
import { SlaWatcher } from '../sla/sla-watcher';
import { SlaNotices } from '../sla/sla-notices';
import { TicketBulk } from '../tickets/ticket-bulk';
import { CalendarService } from '../sla/calendars';
import { SlaRecompute } from '../sla/sla-recompute';
import { ChangeFeed } from '../sync/change-feed';
import { MailFetcher } from '../mail/imap-fetcher';
import { InboundProcessor } from '../mail/inbound-processor';
import { Mailer } from '../mail/mailer';
import { MailboxService } from '../mail/mailbox-service';
import { SecretBox } from '../platform/secret-box';
import { TicketMail } from '../mail/ticket-mail';
import { TicketMerge } from '../tickets/ticket-merge';
import { TicketQuery } from '../tickets/ticket-query';
import { TicketService } from '../tickets/ticket-service';
import { AttachmentStore } from '../attachments/attachment-store';
import { CannedReplies } from '../canned/canned-service';
import { UserRepository } from '../users/user-repository';
import { UserService } from '../users/user-service';
import { parseWebhookPolicy, readWebhookCa } from '../platform/outbound/address-policy';
import { VERSION } from '../version';
import { ViewService } from '../views/view-service';
import type { Services } from './services';
import { PgMaintenanceFlag } from '../maintenance/shared-maintenance';
import { PgLeadership, SOLO_LEADERSHIP } from '../platform/leadership';
import { wireOperations } from './wire-operations';
import { registerDomainMetrics } from '../monitoring/domain-metrics';
import { UpdateFeed } from '../updates/update-feed';
import { UpdateUploads } from '../updates/update-uploads';

/** The services, plus what the process wiring needs to know about them. */
export type WiredServices = Services & {
  /** Whether worker processes (the job-workers service) run the portable runbooks. */
  workerService: boolean;
};

/** Accounts, access, the change feed and live events: what everything else is built on. */
export type CoreServices = Pick<
  Services,
  'config' | 'clock' | 'logger' | 'database' | 'redis' | 'metrics' | 'lifecycle' | 'health' | 'audit' | 'users' | 'userService' | 'sessions' | 'auth' | 'apiTokens' | 'guard' | 'idempotency' | 'compaction' | 'maintenance' | 'changes' | 'events'
>;

/** What every service is built from: configuration, the clock, logging, the database, Redis and the process's Prometheus registry (the database reports query timings into it). */
export type Infrastructure = Pick<Services, 'config' | 'clock' | 'logger' | 'database' | 'redis' | 'metrics'>;

export interface InfrastructureOptions {
  clock?: Clock;
  /** An already open database (tests, the desktop's embedded backend); opened from DATABASE_URL otherwise. */
  database?: DatabaseHandle;
  logger: Logger;
  /**
   * A one-shot process (a CLI command): no SQLite reader or checkpoint threads. It has no concurrent
   * reads to move off its event loop, and a command that fails at once would exit while the threads
   * still load the native module (a fatal N-API error seen under load).
   */
  oneShot?: boolean;
}

export function openInfrastructure(config: Config, options: InfrastructureOptions): Infrastructure {
  const metrics = new ServerMetrics();
  const database =
    options.database ??
    openDatabase(config.DATABASE_URL, {
      poolSize: config.DATABASE_POOL_SIZE,
      sqliteReaders: options.oneShot ? 0 : config.SQLITE_READERS,
      sqliteSharePages: config.SQLITE_SHARE_PAGES,
      onQuery: (ms, failed) => metrics.observeQuery(ms, failed),
      onConnectionError: logConnectionErrors(options.logger, 'database'),
      walCheckpointer: !options.oneShot,
    });
  const redis = config.REDIS_URL ? connectRedis(config.REDIS_URL, options.logger, 'redis', { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: false }) : null;
  return { config, clock: options.clock ?? systemClock, logger: options.logger, database, redis, metrics };
}

/**
 * Builds every service of a backend process, in dependency order, collaborators through
 * constructors. Cycles are broken by callbacks into services built later (`() => alerts…`), never
 * by completing an object after construction. `roomsOf` gives where agents' sockets follow queue
 * membership: the socket.io server built from the core services, or nothing outside the server. Background work is only
 * registered with the lifecycle here; the process decides whether to start it.
 */
export function wireServices<R extends QueueRooms & DesktopPush>(infra: Infrastructure, roomsOf: (core: CoreServices) => R): WiredServices & { rooms: R } {
  const { config, clock, logger, database, redis, metrics } = infra;
  const db = database.db;
  // Several instances on one PostgreSQL database elect the one that runs the once-per-deployment loops.
  const leadership = database.dialect === 'postgres' ? new PgLeadership(config.DATABASE_URL, logger) : SOLO_LEADERSHIP;
  const lifecycle = new Lifecycle(logger, metrics.backgroundFailures, leadership);
  // Stopped in reverse: the database closes last.
  lifecycle.onStop('database', () => database.close());
  if (redis) lifecycle.onStop('redis', () => redis.disconnect());

  const health = new HealthChecks(VERSION);
  // The reader threads too (SQLite): a reader that cannot open the file makes the database unready.
  health.register('database', async () => (await Promise.all([pingDatabase(db), database.reader === db ? null : pingDatabase(database.reader)]), { status: 'ok' }));
  health.register('storage', storageCheck(config.DATA_DIR));
  if (redis) health.register('redis', async () => ({ status: (await redis.ping()) === 'PONG' ? 'ok' : 'down' }));

  // accounts and access
  const audit = new AuditLog(db, clock);
  const users = new UserRepository(db);
  const sessions = new SessionStore(db, clock, config.REFRESH_TOKEN_TTL_DAYS * 86_400_000, config.REFRESH_REUSE_GRACE_SECONDS * 1000);
  const throttle = new LoginThrottle(db, clock, config.LOGIN_MAX_FAILURES, config.LOGIN_LOCKOUT_MINUTES * 60_000);
  const auth = new AuthService(db, users, sessions, throttle, new JwtSigner(config.JWT_SECRET, clock), new Totp(clock), new SecretBox(config.JWT_SECRET, 'opsdesk totp seeds'), audit, clock, {
    accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    passwordMinLength: config.PASSWORD_MIN_LENGTH,
  });
  const apiTokens = new ApiTokenService(db, audit, clock);
  const changes = new ChangeFeed(db, database.dialect, clock, database.reader);
  const events = new EventHub();
  const userService = new UserService(db, users, sessions, apiTokens, audit, clock, config.PASSWORD_MIN_LENGTH, changes, events);
  const idempotency = new IdempotencyStore(db, clock);
  const compaction = new Compaction(db, clock, idempotency);
  // Shared by every instance on one PostgreSQL database (a restore refuses writes on all of them).
  const maintenance = new MaintenanceMode(clock, database.dialect === 'postgres' ? new PgMaintenanceFlag(config.DATABASE_URL, logger) : null);
  lifecycle.onStop('maintenance-mode', () => maintenance.close());
  const core: CoreServices = { config, clock, logger, database, redis, metrics, lifecycle, health, audit, users, userService, sessions, auth, apiTokens, guard: makeGuard(auth, apiTokens, idempotency), idempotency, compaction, maintenance, changes, events };

  // helpdesk
  const rooms = roomsOf(core);
  const queueAccess = new QueueAccess(db);
  const ticketSearch = new TicketSearchIndex(database.dialect);
  const queues = new QueueService(db, queueAccess, changes, events, audit, clock, rooms);
  const slaRecompute = new SlaRecompute(db, changes, events, audit, clock, (err) => lifecycle.report('sla-recompute', err));
  lifecycle.onStop('sla-recompute', () => slaRecompute.idle());
  const calendars = new CalendarService(db, audit, clock, queues, slaRecompute);
  const sla = new SlaPolicies(db, audit, clock, calendars, slaRecompute);
  // The mailbox changes restart the fetcher, built after it: a callback breaks the cycle.
  const mailboxes: MailboxService = new MailboxService(db, new SecretBox(config.JWT_SECRET, 'opsdesk mailbox credentials'), audit, clock, (queueId) => mailFetcher.refresh(queueId));
  const mailer = new Mailer(db, mailboxes, changes, events, clock, { maxAttempts: config.MAIL_MAX_ATTEMPTS, retryBaseMs: config.MAIL_RETRY_BASE_SECONDS * 1000, staleSendingMs: 120_000, globalSmtpUrl: config.SMTP_URL, concurrency: config.MAIL_SEND_CONCURRENCY, dialect: database.dialect, reader: database.reader }, (round) => lifecycle.run('mail-outbound', round));
  const ticketMail = new TicketMail(clock, () => mailer.kick());
  const attachments = new AttachmentStore(db, queueAccess, clock, config.ATTACHMENT_MAX_BYTES);
  const tickets = new TicketService(db, queueAccess, ticketSearch, sla, changes, events, clock, ticketMail, attachments);
  const ticketQuery = new TicketQuery(database.reader, queueAccess, ticketSearch, clock, database.dialect, database.jsonPages);
  const views = new ViewService(db, changes, events, clock);
  const inboundMail = new InboundProcessor(db, tickets, ticketMail, clock, attachments, (trx) => changes.lock(trx));
  const mailFetcher: MailFetcher = new MailFetcher(mailboxes, inboundMail, logger, {
    pollMs: config.MAIL_POLL_SECONDS * 1000,
    idleRecheckMs: config.MAIL_IDLE_RECHECK_SECONDS * 1000,
    reconnectMs: config.MAIL_RECONNECT_SECONDS * 1000,
    ingestDelayMs: config.MAIL_INGEST_DELAY_MS,
    maxFailures: 3,
  }, (what, err) => lifecycle.report(what, err));
  const helpdesk = {
    queueAccess,
    ticketSearch,
    sla,
    queues,
    calendars,
    slaRecompute,
    // The notifier is built with the monitoring services below: a callback breaks the cycle.
    slaWatcher: new SlaWatcher(db, changes, events, clock, new SlaNotices(db, () => notifier)),
    tickets,
    ticketQuery,
    ticketMerge: new TicketMerge(db, queueAccess, ticketSearch, changes, events, clock),
    views,
    ticketBulk: new TicketBulk(tickets, ticketQuery, views, audit),
    mailboxes,
    mailer,
    inboundMail,
    attachments,
    canned: new CannedReplies(db, audit, clock),
    mailFetcher,
  };

  // on-call schedules (escalation pages who they name)
  const schedules = new ScheduleService(db, clock, audit);
  const feeds = new FeedService(db, clock, audit, schedules);

  // monitoring, alerting, incidents
  const metricStore = new MetricStore(db, clock);
  const collectors = new CollectorRegistry((name, err) => lifecycle.report(`collector:${name}`, err));
  // Silences and alerts need each other: a new or expired silence re-evaluates open alerts.
  const silences: SilenceService = new SilenceService(db, clock, audit, changes, events, () => alerts.reapplySilences());
  const alerts: AlertService = new AlertService(db, clock, changes, events, silences, audit, database.dialect, () => escalator.planner());
  const rules = new RuleService(db, clock, audit);
  const evaluator = new RuleEvaluator(rules, new PendingConditions(db), metricStore, alerts, clock, () => config.METRICS_INTERVAL_SECONDS * 3000);
  const notificationPrefs = new PreferenceStore(db, clock);
  // Contact methods are verified by a code the Notifier sends; the Notifier pages only verified ones.
  const contactMethods: ContactMethodStore = new ContactMethodStore(db, clock, audit, (kind, address, message) => notifier.sendDirect(kind, address, message));
  // Desktop popups go to the user's sockets through the socket.io server (`rooms`), each confirmed by the desktop.
  const notifier: Notifier = new Notifier(db, clock, config, rooms, notificationPrefs, contactMethods, audit, {
    urls: new SecretBox(config.JWT_SECRET, 'opsdesk channel webhook urls'),
    timeoutMs: config.NOTIFY_TIMEOUT_MS,
    desktopAckMs: config.NOTIFY_DESKTOP_ACK_MS,
    desktopFallbackMs: config.NOTIFY_DESKTOP_FALLBACK_SECONDS * 1000,
    maxAttempts: config.NOTIFY_MAX_ATTEMPTS,
    retryBaseMs: config.NOTIFY_RETRY_BASE_SECONDS * 1000,
    webhooks: parseWebhookPolicy({ ...config, ca: readWebhookCa(config.WEBHOOK_CA_FILE) }),
    onError: (what, err) => lifecycle.report(what, err),
  });
  const policies = new PolicyStore(db, clock, audit);
  const pager = new Pager(db, clock, schedules);
  const escalator: Escalator = new Escalator(db, clock, alerts, notifier, policies, pager, lifecycle.reporter('escalation'));
  const heartbeats = new HeartbeatService(db, clock, alerts);
  const incidents = new IncidentService(db, clock, alerts, changes, events, audit, lifecycle.reporter('incidents.alert-timeline'));
  const reports = new ReportService(database.reader, clock, metricStore, policies);
  const reportSchedules = new ReportSchedules(db, clock, audit);
  const reportMailer = new ReportMailer(db, clock, reportSchedules, reports, () => notifier.smtp(), (what, err) => lifecycle.report(what, err));
  const handoffs = new HandoffNotices(db, clock, schedules, notifier);
  const heldRelease = new HeldRelease(db, clock, notificationPrefs, notifier);
  // probes: a probe deleted or paused resolves its alert through the runner.
  const probes: ProbeService = new ProbeService(db, clock, audit, new SecretBox(config.JWT_SECRET, 'probe-secrets'), (p) => probeRunner.removed(p));
  const probeRunner: ProbeRunner = new ProbeRunner(db, clock, probes, metricStore, alerts, config.PROBE_CONCURRENCY, (what, err) => lifecycle.report(what, err));
  const apiProbe = new ApiProbe(config.PUBLIC_URL, 5000);
  // scrape targets: a target deleted or paused makes its series stale through the runner.
  const scrapeTargets: ScrapeService = new ScrapeService(db, clock, audit, (t) => scrapeRunner.retired(t));
  const ruleMetrics = async () => new Set((await rules.list()).filter((r) => r.enabled).map((r) => r.metric));
  const scrapeRunner: ScrapeRunner = new ScrapeRunner(db, clock, scrapeTargets, metricStore, alerts, ruleMetrics, config.SCRAPE_CONCURRENCY, (what, err) => lifecycle.report(what, err));
  const monitoring = { metricStore, collectors, silences, alerts, rules, evaluator, notifier, escalator, policies, pager, heartbeats, incidents, reports, reportSchedules, reportMailer, schedules, feeds, handoffs, notificationPrefs, contactMethods, heldRelease, probes, probeRunner, apiProbe, scrapeTargets, scrapeRunner };
  const monitoringRounds = new MonitoringRounds({ config, clock, health, ...monitoring });

  collectors.register('host', hostCollector());
  collectors.register('server', serverCollector(metrics, database));
  if (redis) collectors.register('redis', redisCollector(redis));
  collectors.register('health', async () => {
    const report = await health.run();
    return report.checks.flatMap((c) => [
      { name: 'health_up', labels: { check: c.name }, value: c.status === 'down' ? 0 : 1 },
      { name: 'health_latency_ms', labels: { check: c.name }, value: c.latencyMs },
    ]);
  });
  collectors.register('job_backlog', jobBacklogCollector(database, () => clock.now()));
  const smtp = notifier.smtp();
  if (smtp) health.register('smtp', async () => (await smtp.verify(), { status: 'ok' }));

  const operations = wireOperations({ ...core, ...monitoring });
  registerDomainMetrics(metrics.registry, db, { version: VERSION, queue: () => operations.jobQueue.kind });
  const updates = new UpdateFeed(path.join(config.DATA_DIR, 'updates'), clock);
  const updateUploads = new UpdateUploads(path.join(config.DATA_DIR, 'updates', '.uploads'), clock);
  return { ...core, ...helpdesk, ...monitoring, monitoringRounds, ...operations, updates, updateUploads, rooms };
}
