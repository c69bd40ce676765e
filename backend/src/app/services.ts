import type { AppContext } from '../context';
import { operations } from '../jobs/operations';

/**
 * Every service of the backend process, by name: what the wiring builds. Route plugins take a
 * `Pick<Services, ...>` of exactly what they use, so a reader sees a plugin's needs in its signature.
 */
export interface Services {
  config: AppContext['config'];
  clock: AppContext['clock'];
  database: AppContext['database'];
  redis: AppContext['redis'];
  metrics: AppContext['metrics'];
  health: AppContext['health'];
  audit: AppContext['audit'];
  users: AppContext['users'];
  userService: AppContext['userService'];
  sessions: AppContext['sessions'];
  auth: AppContext['auth'];
  apiTokens: AppContext['apiTokens'];
  guard: AppContext['guard'];
  idempotency: AppContext['idempotency'];
  maintenance: AppContext['maintenance'];
  changes: AppContext['changes'];
  events: AppContext['events'];
  // helpdesk
  queueAccess: AppContext['helpdesk']['access'];
  queues: AppContext['helpdesk']['queues'];
  ticketSearch: AppContext['helpdesk']['search'];
  sla: AppContext['helpdesk']['sla'];
  slaWatcher: AppContext['helpdesk']['slaWatcher'];
  tickets: AppContext['helpdesk']['tickets'];
  ticketQuery: AppContext['helpdesk']['ticketQuery'];
  views: AppContext['helpdesk']['views'];
  // monitoring, alerting, incidents
  metricStore: AppContext['monitoring']['store'];
  collectors: AppContext['monitoring']['collectors'];
  silences: AppContext['monitoring']['silences'];
  alerts: AppContext['monitoring']['alerts'];
  rules: AppContext['monitoring']['rules'];
  evaluator: AppContext['monitoring']['evaluator'];
  notifier: AppContext['monitoring']['notifier'];
  escalator: AppContext['monitoring']['escalator'];
  heartbeats: AppContext['monitoring']['heartbeats'];
  incidents: AppContext['monitoring']['incidents'];
  reports: AppContext['monitoring']['reports'];
  // operations
  runbooks: ReturnType<typeof operations>['catalogue'];
  jobRepo: ReturnType<typeof operations>['repo'];
  jobRunner: ReturnType<typeof operations>['runner'];
  jobQueue: ReturnType<typeof operations>['queue'];
  jobs: ReturnType<typeof operations>['jobs'];
  jobLogs: ReturnType<typeof operations>['bus'];
  jobEvents: ReturnType<typeof operations>['jobEvents'];
  serviceManager: ReturnType<typeof operations>['services'];
  backups: ReturnType<typeof operations>['backups'];
  backupScheduler: ReturnType<typeof operations>['scheduler'];
  opsIntegrations: ReturnType<typeof operations>['integrations'];
  maintenanceWindows: ReturnType<typeof operations>['windows'];
  procedures: ReturnType<typeof operations>['procedures'];
}

/**
 * TRANSITIONAL: the flat Services view of the old AppContext, so route plugins can take
 * `Pick<Services, ...>` while the wiring moves to one function. Removed with AppContext.
 */
export function servicesOf(ctx: AppContext): Services {
  const h = ctx.helpdesk;
  const m = () => ctx.monitoring;
  const o = () => operations(ctx);
  return {
    config: ctx.config,
    clock: ctx.clock,
    database: ctx.database,
    redis: ctx.redis,
    metrics: ctx.metrics,
    health: ctx.health,
    audit: ctx.audit,
    users: ctx.users,
    userService: ctx.userService,
    sessions: ctx.sessions,
    auth: ctx.auth,
    apiTokens: ctx.apiTokens,
    guard: ctx.guard,
    idempotency: ctx.idempotency,
    maintenance: ctx.maintenance,
    changes: ctx.changes,
    events: ctx.events,
    queueAccess: h.access,
    queues: h.queues,
    ticketSearch: h.search,
    sla: h.sla,
    slaWatcher: h.slaWatcher,
    tickets: h.tickets,
    ticketQuery: h.ticketQuery,
    views: h.views,
    get metricStore() { return m().store; },
    get collectors() { return m().collectors; },
    get silences() { return m().silences; },
    get alerts() { return m().alerts; },
    get rules() { return m().rules; },
    get evaluator() { return m().evaluator; },
    get notifier() { return m().notifier; },
    get escalator() { return m().escalator; },
    get heartbeats() { return m().heartbeats; },
    get incidents() { return m().incidents; },
    get reports() { return m().reports; },
    get runbooks() { return o().catalogue; },
    get jobRepo() { return o().repo; },
    get jobRunner() { return o().runner; },
    get jobQueue() { return o().queue; },
    get jobs() { return o().jobs; },
    get jobLogs() { return o().bus; },
    get jobEvents() { return o().jobEvents; },
    get serviceManager() { return o().services; },
    get backups() { return o().backups; },
    get backupScheduler() { return o().scheduler; },
    get opsIntegrations() { return o().integrations; },
    get maintenanceWindows() { return o().windows; },
    get procedures() { return o().procedures; },
  };
}
