/** Tables of on-call schedules (migration 0040). Timestamps are epoch milliseconds. */
export interface OncallSchedulesTable {
  id: string;
  name: string;
  time_zone: string;
  description: string;
  created_at: number;
  updated_at: number;
}

export interface OncallRotationsTable {
  id: string;
  schedule_id: string;
  name: string;
  layer: number;
  /** Order within the schedule: an earlier rotation wins a tie on the same layer. */
  position: number;
  kind: string;
  shift_minutes: number | null;
  handoff_time: string;
  start_date: string;
  /** JSON array of user ids, in rotation order. */
  participants: string;
  ends_at: number | null;
  active_from: string | null;
  active_to: string | null;
  updated_at: number;
}

export interface OncallOverridesTable {
  id: string;
  schedule_id: string;
  user_id: string;
  covers_user_id: string | null;
  starts_at: number;
  ends_at: number;
  note: string;
  created_by: string | null;
  created_at: number;
}

export interface OncallImportedShiftsTable {
  id: string;
  schedule_id: string;
  layer: number;
  user_id: string;
  starts_at: number;
  ends_at: number;
  /** The VEVENT's UID in the imported file. */
  source_uid: string;
  created_at: number;
}

export interface OncallFeedsTable {
  id: string;
  /** SHA-256 of the feed's token, hex. */
  token_hash: string;
  schedule_id: string | null;
  user_id: string | null;
  created_by: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface OncallHandoffsTable {
  schedule_id: string;
  at: number;
  incoming_user_id: string | null;
  outgoing_user_id: string | null;
  notified_at: number;
}

export interface OncallTables {
  oncall_schedules: OncallSchedulesTable;
  oncall_rotations: OncallRotationsTable;
  oncall_overrides: OncallOverridesTable;
  oncall_imported_shifts: OncallImportedShiftsTable;
  oncall_feeds: OncallFeedsTable;
  oncall_handoffs: OncallHandoffsTable;
}
