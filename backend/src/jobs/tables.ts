/** Tables of runbooks, jobs, backups, maintenance windows and procedures (migration 0030). */
export interface JobsTable {
  id: string;
  runbook: string;
  params: string;
  status: string;
  requested_by: string | null;
  requested_by_email: string | null;
  approved_by: string | null;
  approved_at: number | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
  exit_code: number | null;
  summary: string | null;
  result: string | null;
  reason: string | null;
  retry_of: string | null;
  timeout_ms: number;
  lock_key: string | null;
  log_seq: number;
  cancel_requested_at: number | null;
  worker: string | null;
  heartbeat_at: number | null;
}

export interface JobLogsTable {
  job_id: string;
  seq: number;
  at: number;
  stream: string;
  line: string;
}

/** One row per held lock; the primary key makes conflicting requests fail on both dialects. */
export interface JobLocksTable {
  lock_key: string;
  job_id: string;
  acquired_at: number;
}

export interface CommandRunbooksTable {
  id: string;
  definition: string;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface BackupsTable {
  id: string;
  created_at: number;
  dialect: string;
  kind: string;
  status: string;
  file: string | null;
  size_bytes: number | null;
  sha256: string | null;
  verified: number;
  verification: string | null;
  row_counts: string | null;
  schema_version: string | null;
  job_id: string | null;
  pruned_at: number | null;
  error: string | null;
}

export interface MaintenanceWindowsTable {
  id: string;
  title: string;
  announcement: string;
  starts_at: number;
  ends_at: number;
  cron: string | null;
  timezone: string;
  services: string;
  silence_alerts: number;
  status: string;
  current_start: number | null;
  current_end: number | null;
  started_notified_for: number | null;
  /** The occurrence (current_start) whose 48-hour notice went out (migration 0120). */
  notice_sent_for: number | null;
  notice_sent_at: number | null;
  silence_ids: string;
  silencing: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface ProcedureRunsTable {
  id: string;
  procedure: string;
  title: string;
  status: string;
  assigned_role: string | null;
  params: string;
  state: string;
  maintenance_id: string | null;
  occurrence: string | null;
  started_by: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
  /** The manuals' severity or security level of an emergency run (migration 0120). */
  level: string | null;
  due_at: number | null;
  reminded_at: number | null;
}

export interface ProcedureStepNotesTable {
  id: string;
  run_id: string;
  step_key: string;
  author: string;
  body: string;
  created_at: number;
}

export interface ProcedureStepsTable {
  run_id: string;
  idx: number;
  key: string;
  phase: string;
  title: string;
  kind: string;
  instructions: string;
  status: string;
  result: string | null;
  job_id: string | null;
  completed_by: string | null;
  started_at: number | null;
  completed_at: number | null;
  wake_at: number | null;
  note: string | null;
}

export interface OperationsTables {
  jobs: JobsTable;
  job_logs: JobLogsTable;
  job_locks: JobLocksTable;
  command_runbooks: CommandRunbooksTable;
  backups: BackupsTable;
  maintenance_windows: MaintenanceWindowsTable;
  procedure_runs: ProcedureRunsTable;
  procedure_steps: ProcedureStepsTable;
  procedure_step_notes: ProcedureStepNotesTable;
}
