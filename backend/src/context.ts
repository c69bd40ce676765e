import { Redis } from 'ioredis';
import { ApiTokenService } from './api-tokens/api-token-service';
import { AuditLog } from './audit/audit-log';
import { AuthService } from './auth/auth-service';
import { JwtSigner } from './auth/jwt';
import { LoginThrottle } from './auth/login-throttle';
import { SessionStore } from './auth/session-store';
import { Totp } from './auth/totp';
import type { Config } from './config/config';
import { openDatabase, pingDatabase, type DatabaseHandle } from './db/connect';
import { HealthChecks, storageCheck } from './health/health-checks';
import { makeGuard, type Guard } from './http/guards';
import { IdempotencyStore } from './http/idempotency';
import { systemClock, type Clock } from './lib/clock';
import { MaintenanceMode } from './maintenance/maintenance-mode';
import { ServerMetrics } from './metrics/prometheus';
import { Monitoring } from './monitoring/monitoring';
import { EventHub } from './realtime/event-hub';
import { ChangeFeed } from './sync/change-feed';
import { createHelpdesk, type Helpdesk } from './tickets/helpdesk';
import { UserRepository } from './users/user-repository';
import { UserService } from './users/user-service';
import { VERSION } from './version';

/** Everything a request handler may need, wired once per process. */
export interface AppContext {
  config: Config;
  clock: Clock;
  database: DatabaseHandle;
  redis: Redis | null;
  metrics: ServerMetrics;
  health: HealthChecks;
  audit: AuditLog;
  users: UserRepository;
  userService: UserService;
  sessions: SessionStore;
  auth: AuthService;
  apiTokens: ApiTokenService;
  guard: Guard;
  idempotency: IdempotencyStore;
  /** Set while a restore runs: writes get 503. */
  maintenance: MaintenanceMode;
  /** The delta-sync feed: record changes inside write transactions. */
  changes: ChangeFeed;
  /** Publish live events after commit. */
  events: EventHub;
  /** Queues, tickets, SLAs and saved views. */
  helpdesk: Helpdesk;
  /** Metrics, rules, alerts, silences, notifications, escalation, heartbeats, incidents, reports. */
  readonly monitoring: Monitoring;
  /** Called in reverse order on shutdown. */
  onClose: (fn: () => Promise<void> | void) => void;
  close(): Promise<void>;
}

export interface ContextOptions {
  clock?: Clock;
  database?: DatabaseHandle;
}

export function createContext(config: Config, options: ContextOptions = {}): AppContext {
  const clock = options.clock ?? systemClock;
  const metrics = new ServerMetrics();
  const database =
    options.database ??
    openDatabase(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE, onQuery: (ms, failed) => metrics.observeQuery(ms, failed) });
  const db = database.db;
  const redis = config.REDIS_URL ? new Redis(config.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: false }) : null;
  redis?.on('error', () => {});

  const health = new HealthChecks(VERSION);
  health.register('database', async () => {
    await pingDatabase(db);
    return { status: 'ok' };
  });
  health.register('storage', storageCheck(config.DATA_DIR));
  if (redis) {
    health.register('redis', async () => {
      const pong = await redis.ping();
      return { status: pong === 'PONG' ? 'ok' : 'down' };
    });
  }

  const audit = new AuditLog(db, clock);
  const users = new UserRepository(db);
  const sessions = new SessionStore(db, clock, config.REFRESH_TOKEN_TTL_DAYS * 86_400_000);
  const throttle = new LoginThrottle(db, clock, config.LOGIN_MAX_FAILURES, config.LOGIN_LOCKOUT_MINUTES * 60_000);
  const jwt = new JwtSigner(config.JWT_SECRET, clock);
  const auth = new AuthService(db, users, sessions, throttle, jwt, new Totp(clock), audit, clock, {
    accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    passwordMinLength: config.PASSWORD_MIN_LENGTH,
  });
  const apiTokens = new ApiTokenService(db, audit, clock);
  const changes = new ChangeFeed(db, database.dialect, clock);
  const events = new EventHub();
  const userService = new UserService(db, users, sessions, audit, clock, config.PASSWORD_MIN_LENGTH, changes, events);

  const idempotency = new IdempotencyStore(db, clock);
  const closers: (() => Promise<void> | void)[] = [];
  let monitoring: Monitoring | undefined;
  return {
    config,
    clock,
    database,
    redis,
    metrics,
    health,
    audit,
    users,
    userService,
    sessions,
    auth,
    apiTokens,
    guard: makeGuard(auth, apiTokens, idempotency),
    idempotency,
    maintenance: new MaintenanceMode(clock),
    changes,
    events,
    helpdesk: createHelpdesk({ db, dialect: database.dialect, clock, audit, changes, events }),
    // Built on first use from the fields above (it needs changes, events, health, audit).
    get monitoring() {
      return (monitoring ??= new Monitoring(this));
    },
    onClose: (fn) => closers.push(fn),
    async close() {
      for (const fn of closers.reverse()) await fn();
      redis?.disconnect();
      await database.close();
    },
  };
}
