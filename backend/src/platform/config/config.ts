import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { checkWebhookUrl, parseWebhookPolicy, readWebhookCa } from '../outbound/address-policy';

const port = z.coerce.number().int().min(0).max(65535);
const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]);

/**
 * Every setting the server reads. Environment variables win over the optional JSON config file
 * (CONFIG_FILE). Names are the environment variable names; README.md lists them all.
 */
export const ConfigSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(8000),
  DATA_DIR: z.string().min(1).default(path.resolve('.data')),
  DATABASE_URL: z
    .string()
    .refine((v) => /^(postgres(ql)?:\/\/|sqlite:|file:)/.test(v), 'must start with postgres://, sqlite: or file:')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Live events a socket may have queued unsent before it is dropped as too slow (it reconnects and resumes). */
  LIVE_MAX_BUFFERED_PACKETS: z.coerce.number().int().min(10).max(1_000_000).default(2000),
  /**
   * SQLite: reader threads serving listings, search, sync pages and reports beside the writer (0: all
   * on the writer). Off by default until they measure better: at 1M tickets they lifted the listing
   * ratio (0.54 → 0.67 of bare) but slowed one search 3× and 5,000-change sync pages 3×.
   */
  SQLITE_READERS: z.coerce.number().int().min(0).max(16).default(2),
  /** SQLite reader threads: identical listing pages (same caller, filter, sort and cursor) waiting for a reader share one run. */
  SQLITE_SHARE_PAGES: bool.default(true),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** A used refresh token presented again within this many seconds, its replacement unused, is a lost response's retry, not theft. */
  REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(128).default(12),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  LOGIN_IP_MAX_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: bool.default(false),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  // Runbooks, jobs, services, backups (issue 6); README lists them.
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** Job-worker processes; unset means 1, or 0 inside a vitest run so other suites don't pay for them. */
  JOB_WORKERS: z.coerce.number().int().min(0).max(64).default(1),
  JOB_CANCEL_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  APPROVAL_REQUIRED_RUNBOOKS: z.string().default('restore-database'),
  SERVICES_FILE: z.string().optional(),
  /** The Docker Engine API socket the docker service driver talks to. */
  DOCKER_SOCKET: z.string().min(1).default('/var/run/docker.sock'),
  /** A kubeconfig for the kubernetes driver; unset: KUBECONFIG, ~/.kube/config, then the in-cluster service account. */
  KUBECONFIG_FILE: z.string().min(1).optional(),
  BACKUP_DIR: z.string().min(1).optional(),
  BACKUP_SCHEDULES: z.string().default('hourly=0 * * * *;daily=30 2 * * *'),
  BACKUP_RETENTION: z.string().regex(/^\d+h\/\d+d\/\d+w\/\d+m$/, 'must look like 24h/30d/12w/12m').default('24h/30d/12w/12m'),
  /** The Redis the backup-redis runbook saves (BGSAVE + copy of dump.rdb; same host); default REDIS_URL. */
  REDIS_BACKUP_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  /** Off-site copies over SFTP (all three or none): sftp://user@host:port/folder, a private key file, the pinned host key SHA-256. */
  OFFSITE_SFTP_URL: z.string().regex(/^sftp:\/\/[^@/]+@[^/]+\/.+/, 'must look like sftp://user@host:port/folder').optional(),
  OFFSITE_SFTP_KEY_FILE: z.string().min(1).optional(),
  OFFSITE_SFTP_HOST_KEY: z.string().regex(/^(SHA256:)?[A-Za-z0-9+/]{43}=?$/, 'must be the SHA256 fingerprint ssh-keygen -lf prints').optional(),
  /** Signs manifests and encrypts backups (HKDF, one key per purpose); default JWT_SECRET. Keep a copy off the machine. */
  BACKUP_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  BACKUP_MIN_FREE_MB: z.coerce.number().int().min(0).default(256),
  OPS_SCHEDULERS: bool.default(true),
  /** How often the leader looks for a due scheduled report email (needs SMTP_URL). */
  REPORT_EMAIL_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  // Monitoring and alerting (issue 5).
  MONITORING_LOOPS: bool.default(true),
  METRICS_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
  ALERT_TICK_SECONDS: z.coerce.number().int().min(1).max(600).default(5),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  SMTP_FROM: z.string().min(3).default('OpsDesk <opsdesk@localhost>'),
  SLACK_WEBHOOK_URL: z.string().url().optional(),
  SMS_WEBHOOK_URL: z.string().url().optional(),
  NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  NOTIFY_RETRY_BASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** How long a desktop has to confirm an alert.notify before the attempt counts as failed. */
  NOTIFY_DESKTOP_ACK_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** An unconfirmed desktop delivery falls back to the person's email/SMS once its next retry would come later than this. */
  NOTIFY_DESKTOP_FALLBACK_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Outbound webhooks: hosts reachable over plain http, private ranges (CIDR) they may reach, extra CAs. */
  WEBHOOK_ALLOW_HTTP: z.string().default(''),
  WEBHOOK_ALLOW_PRIVATE: z.string().default(''),
  WEBHOOK_CA_FILE: z.string().min(1).optional(),
  WEBHOOK_MAX_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(2 * 1024 * 1024),
  // Endpoints beside the API (issue 19): /metrics behind a bearer token, the API docs public, signed-in or off.
  METRICS_TOKEN: z
    .string()
    .min(24, 'must be at least 24 characters')
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
    .optional(),
  API_DOCS: z.enum(['public', 'signed-in', 'off']).default('public'),
  // The helpdesk's email channel (issue 13).
  /** Fetch queue mailboxes over IMAP (false: tests drive it, or another process does). */
  MAIL_FETCHER: bool.default(true),
  MAIL_POLL_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  MAIL_IDLE_RECHECK_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  MAIL_RECONNECT_SECONDS: z.coerce.number().int().min(1).max(600).default(5),
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  MAIL_RETRY_BASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Outbound messages sent at once (pooled SMTP connections per queue at most). */
  MAIL_SEND_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** Fault injection for crash tests: wait this long between fetching a message and committing its ticket. */
  MAIL_INGEST_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(0),
  /** The largest attachment accepted, from the app or by email (bytes; at most 10 MB). */
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(10 * 1024 * 1024),
  // Probes (issue 15).
  /** The URL users reach the API at; the built-in API-down check probes it (default: the listening address). */
  PUBLIC_URL: z.string().url().regex(/^https?:\/\//, 'must start with http:// or https://').optional(),
  PROBE_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /** Scrapes of Prometheus exposition targets running at once (issue 15). */
  SCRAPE_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  CONFIG_FILE: z.string().optional(),
});

export type RawConfig = z.infer<typeof ConfigSchema>;

export interface Config extends Omit<RawConfig, 'DATABASE_URL' | 'JWT_SECRET'> {
  DATABASE_URL: string;
  JWT_SECRET: string;
  /** Whether JWT_SECRET was generated here (no operator set it): instances on PostgreSQL then agree on one. */
  JWT_SECRET_GENERATED: boolean;
}

export class ConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/** Parses settings; throws a ConfigError whose message is one line naming the bad variable. */
export function parseConfig(env: Record<string, string | undefined>): RawConfig {
  let fileValues: Record<string, unknown> = {};
  if (env.CONFIG_FILE) {
    let text: string;
    try {
      text = readFileSync(env.CONFIG_FILE, 'utf8');
    } catch (err) {
      throw new ConfigError(`CONFIG_FILE: cannot read ${env.CONFIG_FILE} (${(err as NodeJS.ErrnoException).code})`);
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      fileValues = parsed as Record<string, unknown>;
    } catch {
      throw new ConfigError(`CONFIG_FILE: ${env.CONFIG_FILE} is not a JSON object`);
    }
    const unknownKeys = Object.keys(fileValues).filter((k) => !(k in ConfigSchema.shape));
    if (unknownKeys.length) throw new ConfigError(`CONFIG_FILE: unknown setting ${unknownKeys[0]}`);
  }
  const known = Object.fromEntries(
    Object.keys(ConfigSchema.shape)
      .map((k) => [k, env[k] !== undefined && env[k] !== '' ? env[k] : fileValues[k]])
      .filter(([, v]) => v !== undefined),
  );
  const result = ConfigSchema.safeParse(known);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0] ?? 'config');
    let message = issue.message;
    if (issue.code === 'invalid_type' && issue.expected === 'number') message = 'must be a number';
    if (issue.code === 'too_big' && issue.origin === 'number') message = `must be at most ${String(issue.maximum)}`;
    if (issue.code === 'too_small' && issue.origin === 'number') message = `must be at least ${String(issue.minimum)}`;
    // Secrets and connection strings (which may hold passwords) are never echoed.
    const given = /SECRET|PASSWORD|TOKEN$|_URL$/.test(name) ? undefined : (known as Record<string, unknown>)[name];
    throw new ConfigError(`Invalid configuration: ${name} ${message}${given !== undefined ? ` (got ${JSON.stringify(given)})` : ''}`);
  }
  checkWebhookSettings(result.data);
  return result.data;
}

/** The allow-lists parse, the CA file reads, and the configured webhook URLs pass the policy (never echoed). */
function checkWebhookSettings(c: RawConfig): void {
  let policy;
  try {
    policy = parseWebhookPolicy({ ...c, ca: readWebhookCa(c.WEBHOOK_CA_FILE) });
  } catch (err) {
    throw new ConfigError(`Invalid configuration: ${(err as Error).message}`, { cause: err });
  }
  for (const name of ['SLACK_WEBHOOK_URL', 'SMS_WEBHOOK_URL'] as const) {
    const refusal = c[name] ? checkWebhookUrl(c[name], policy) : null;
    if (refusal) throw new ConfigError(`Invalid configuration: ${name} ${refusal}`);
  }
}
