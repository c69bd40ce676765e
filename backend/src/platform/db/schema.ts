import type { Generated } from 'kysely';
import type { OperationsTables } from '../../jobs/tables';
import type { ProbeTables } from '../../probes/tables';
import type { AttachmentTables } from '../../attachments/tables';
import type { CannedTables } from '../../canned/tables';
import type { ScrapeTables } from '../../scrape/tables';
import type { MonitoringTables } from '../../monitoring/tables';
import type { OncallTables } from '../../oncall/tables';
import type { MailTables } from '../../mail/tables';
import type { HelpdeskTables } from '../../tickets/tables';
import type { ReportTables } from '../../reports/tables';
import type { CalendarTables } from '../../sla/tables';

/** Timestamps are epoch milliseconds (BIGINT on PostgreSQL, INTEGER on SQLite). Booleans are 0/1. */
export interface UsersTable {
  id: string;
  email: string;
  name: string;
  role: 'agent' | 'oncall' | 'admin';
  password_hash: string;
  disabled: number;
  mfa_enabled: number;
  mfa_secret: string | null;
  mfa_pending_secret: string | null;
  mfa_last_step: number | null;
  created_at: number;
  updated_at: number;
}

export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  used_at: number | null;
}

/** A session is one refresh-token family: one login on one device. */
export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: number;
  last_used_at: number;
  expires_at: number;
  revoked_at: number | null;
  revoked_reason: string | null;
  user_agent: string | null;
  ip: string | null;
}

export interface RefreshTokensTable {
  id: string;
  session_id: string;
  token_hash: string;
  created_at: number;
  used_at: number | null;
  /** The token issued when this one was used (0080): a lost response may be retried within the grace. */
  replaced_by: string | null;
}

export interface LoginFailuresTable {
  key: string;
  count: number;
  window_start: number;
  locked_until: number | null;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  scopes: string;
  token_hash: string;
  created_by: string;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  revoked_at: number | null;
  /** manual | creator_disabled | creator_demoted (migration 0031). */
  revoked_reason: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  details: string | null;
}

export interface ChangesTable {
  seq: Generated<number>;
  entity: string;
  entity_id: string;
  op: string;
  audience: string;
  queue_id: string | null;
  prev_queue_id: string | null;
  user_id: string | null;
  data: string | null;
  actor_id: string | null;
  at: number;
}

export interface IdempotencyKeysTable {
  key: string;
  principal: string;
  method: string;
  path: string;
  request_hash: string;
  status: number | null;
  response: string | null;
  created_at: number;
}

export interface CompactionMarksTable {
  name: string;
  value: number;
  at: number;
}

export interface ServerSecretsTable {
  name: string;
  value: string;
  created_at: number;
}

export interface ServiceStateTable {
  service: string;
  driver: string;
  desired_replicas: number;
  updated_at: number;
}

export interface LeadershipTable {
  name: string;
  term: number;
  holder: string;
  since: number;
}

export interface Database extends MonitoringTables, OperationsTables, HelpdeskTables, OncallTables, MailTables, ProbeTables, AttachmentTables, CannedTables, ScrapeTables, ReportTables, CalendarTables {
  server_secrets: ServerSecretsTable;
  compaction_marks: CompactionMarksTable;
  leadership: LeadershipTable;
  service_state: ServiceStateTable;
  changes: ChangesTable;
  idempotency_keys: IdempotencyKeysTable;
  users: UsersTable;
  recovery_codes: RecoveryCodesTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  login_failures: LoginFailuresTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
}
