import type { Generated } from 'kysely';

/** Tables of the probes domain (migration 0060). Epoch-ms times, 0/1 booleans. */
export interface ProbesTable {
  id: string;
  name: string;
  kind: string;
  target: string;
  /** JSON of the kind's settings (ProbeSettings). */
  settings: string;
  interval_seconds: number;
  timeout_ms: number;
  retries: number;
  for_seconds: number;
  severity: string;
  /** Sealed password or token (platform/secret-box.ts), or null. */
  secret: string | null;
  paused: Generated<number>;
  state: Generated<string>;
  failures: Generated<number>;
  failing_since: number | null;
  next_run_at: number;
  last_checked_at: number | null;
  last_latency_ms: number | null;
  last_error: string | null;
  tls_expires_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface ProbeResultsTable {
  probe_id: string;
  at: number;
  success: number;
  latency_ms: number;
  message: string | null;
  tls_expires_at: number | null;
}

export interface ProbeTables {
  probes: ProbesTable;
  probe_results: ProbeResultsTable;
}
