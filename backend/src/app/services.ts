import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AlertService } from '../alerts/alert-service';
import type { ApiTokenService } from '../api-tokens/api-token-service';
import type { AuditLog } from '../audit/audit-log';
import type { AuthService } from '../auth/auth-service';
import type { SessionStore } from '../auth/session-store';
import type { BackupScheduler } from '../backups/backup-scheduler';
import type { BackupService } from '../backups/backup-service';
import type { UpdateFeed } from '../updates/update-feed';
import type { UpdateUploads } from '../updates/update-uploads';
import type { Config } from '../platform/config/config';
import type { DatabaseHandle } from '../platform/db/connect';
import type { Escalator } from '../escalation/escalator';
import type { Pager } from '../escalation/pager';
import type { PolicyStore } from '../escalation/policy-store';
import type { HealthChecks } from '../health/health-checks';
import type { Guard } from '../platform/http/guards';
import type { IdempotencyStore } from '../platform/http/idempotency';
import type { Compaction } from '../platform/compaction';
import type { IncidentService } from '../incidents/incident-service';
import type { HeartbeatService } from '../integrations/heartbeat-service';
import type { JobEvents } from '../jobs/job-events';
import type { JobQueue } from '../jobs/job-queue';
import type { JobRepository } from '../jobs/job-repository';
import type { JobRunner } from '../jobs/job-runner';
import type { JobService } from '../jobs/job-service';
import type { LogBus } from '../jobs/log-bus';
import type { Clock } from '../platform/clock';
import type { OpsIntegrations } from '../maintenance/integrations';
import type { MaintenanceMode } from '../maintenance/maintenance-mode';
import type { MaintenanceWindows } from '../maintenance/maintenance-windows';
import type { ServerMetrics } from '../platform/prometheus';
import type { CollectorRegistry } from '../monitoring/collectors';
import type { MetricStore } from '../monitoring/metric-store';
import type { MonitoringRounds } from '../monitoring/monitoring';
import type { HeldRelease } from '../notifications/held-release';
import type { Notifier } from '../notifications/notifier';
import type { PreferenceStore } from '../notifications/preference-store';
import type { ContactMethodStore } from '../notifications/contact-methods';
import type { FeedService } from '../oncall/feed-service';
import type { HandoffNotices } from '../oncall/handoff-notices';
import type { ScheduleService } from '../oncall/schedule-service';
import type { ApiProbe } from '../probes/api-probe';
import type { ProbeRunner } from '../probes/probe-runner';
import type { ProbeService } from '../probes/probe-service';
import type { ScrapeRunner } from '../scrape/scrape-runner';
import type { ScrapeService } from '../scrape/scrape-service';
import type { Lifecycle } from '../platform/lifecycle';
import type { ProcedureEngine } from '../procedures/procedure-engine';
import type { QueueAccess } from '../queues/queue-access';
import type { QueueService } from '../queues/queue-service';
import type { EventHub } from '../platform/realtime/event-hub';
import type { ReportService } from '../reports/report-service';
import type { ReportSchedules } from '../reports/report-schedules';
import type { ReportMailer } from '../reports/report-mailer';
import type { RuleEvaluator } from '../rules/rule-evaluator';
import type { RuleService } from '../rules/rule-service';
import type { RunbookCatalogue } from '../runbooks/catalogue';
import type { TicketSearchIndex } from '../search/fts';
import type { ServiceManager } from '../services/service-manager';
import type { SilenceService } from '../silences/silence-service';
import type { SlaPolicies } from '../sla/sla-policies';
import type { CalendarService } from '../sla/calendars';
import type { SlaRecompute } from '../sla/sla-recompute';
import type { TicketBulk } from '../tickets/ticket-bulk';
import type { SlaWatcher } from '../sla/sla-watcher';
import type { ChangeFeed } from '../sync/change-feed';
import type { MailFetcher } from '../mail/imap-fetcher';
import type { InboundProcessor } from '../mail/inbound-processor';
import type { Mailer } from '../mail/mailer';
import type { AttachmentStore } from '../attachments/attachment-store';
import type { CannedReplies } from '../canned/canned-service';
import type { MailboxService } from '../mail/mailbox-service';
import type { TicketMerge } from '../tickets/ticket-merge';
import type { TicketQuery } from '../tickets/ticket-query';
import type { TicketService } from '../tickets/ticket-service';
import type { UserRepository } from '../users/user-repository';
import type { UserService } from '../users/user-service';
import type { ViewService } from '../views/view-service';

/**
 * Every service of a backend process, by name: what the wiring (app/wiring.ts) builds. Route
 * plugins take a `Pick<Services, ...>` of exactly what they use, so a reader sees a plugin's needs
 * in its signature.
 */
export interface Services {
  config: Config;
  clock: Clock;
  logger: Logger;
  database: DatabaseHandle;
  redis: Redis | null;
  metrics: ServerMetrics;
  /** Starts and stops every background loop of the process; counts and logs their failures. */
  lifecycle: Lifecycle;
  health: HealthChecks;
  audit: AuditLog;
  users: UserRepository;
  userService: UserService;
  sessions: SessionStore;
  auth: AuthService;
  apiTokens: ApiTokenService;
  guard: Guard;
  idempotency: IdempotencyStore;
  compaction: Compaction;
  /** Set while a restore runs: writes get 503. */
  maintenance: MaintenanceMode;
  /** The delta-sync feed: record changes inside write transactions. */
  changes: ChangeFeed;
  /** Publish live events after commit. */
  events: EventHub;
  // helpdesk
  queueAccess: QueueAccess;
  queues: QueueService;
  ticketSearch: TicketSearchIndex;
  sla: SlaPolicies;
  calendars: CalendarService;
  slaRecompute: SlaRecompute;
  ticketBulk: TicketBulk;
  slaWatcher: SlaWatcher;
  tickets: TicketService;
  ticketQuery: TicketQuery;
  ticketMerge: TicketMerge;
  /** The email channel: queue mailboxes, the IMAP fetcher, inbound processing, the SMTP sender. */
  mailboxes: MailboxService;
  mailFetcher: MailFetcher;
  inboundMail: InboundProcessor;
  mailer: Mailer;
  attachments: AttachmentStore;
  canned: CannedReplies;
  views: ViewService;
  // monitoring, alerting, incidents
  metricStore: MetricStore;
  collectors: CollectorRegistry;
  silences: SilenceService;
  alerts: AlertService;
  rules: RuleService;
  evaluator: RuleEvaluator;
  notifier: Notifier;
  escalator: Escalator;
  /** Escalation policies (matched by labels, the default last). */
  policies: PolicyStore;
  /** Resolves escalation levels to people and records who was paged. */
  pager: Pager;
  heartbeats: HeartbeatService;
  incidents: IncidentService;
  reports: ReportService;
  reportSchedules: ReportSchedules;
  reportMailer: ReportMailer;
  // on-call
  schedules: ScheduleService;
  feeds: FeedService;
  /** Hand-off notices to the incoming and outgoing person (a step of the alert tick). */
  handoffs: HandoffNotices;
  /** Channel preferences and quiet hours per user. */
  notificationPrefs: PreferenceStore;
  contactMethods: ContactMethodStore;
  /** Summaries of the notifications quiet hours held, when they end. */
  heldRelease: HeldRelease;
  probes: ProbeService;
  /** Runs due probes (bounded, never overlapping), records results and metrics, raises their alerts. */
  probeRunner: ProbeRunner;
  /** The built-in API-down check's probe of PUBLIC_URL. */
  apiProbe: ApiProbe;
  /** Prometheus exposition targets (the app's and SERVICES_FILE's). */
  scrapeTargets: ScrapeService;
  /** Scrapes due targets (bounded), stores up, scrape_* and recordings, keeps the rest as latest values. */
  scrapeRunner: ScrapeRunner;
  /** One round of collection/evaluation, of the alert tick, of rollups: the loops' bodies (tests drive them). */
  monitoringRounds: MonitoringRounds;
  // operations
  runbooks: RunbookCatalogue;
  jobRepo: JobRepository;
  jobRunner: JobRunner;
  jobQueue: JobQueue;
  jobs: JobService;
  jobLogs: LogBus;
  jobEvents: JobEvents;
  serviceManager: ServiceManager;
  backups: BackupService;
  /** The desktop update feed per channel (DATA_DIR/updates). */
  updates: UpdateFeed;
  /** Installers uploaded from the app, waiting to be published (DATA_DIR/updates/.uploads). */
  updateUploads: UpdateUploads;
  backupScheduler: BackupScheduler;
  opsIntegrations: OpsIntegrations;
  maintenanceWindows: MaintenanceWindows;
  procedures: ProcedureEngine;
}
