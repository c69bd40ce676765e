/** Tables of scheduled report emails (migration 0150). Epoch-ms times, 0/1 booleans. */
export interface ReportSchedulesTable {
  id: string;
  name: string;
  /** daily | weekly */
  period: string;
  /** JSON array of email addresses. */
  recipients: string;
  time_zone: string;
  hour: number;
  enabled: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

/** One row per schedule and period: inserting it claims the send (nobody sends a period twice). */
export interface ReportDeliveriesTable {
  schedule_id: string;
  period_start: number;
  label: string;
  /** sending | sent | failed */
  status: string;
  attempts: number;
  error: string | null;
  claimed_at: number;
  sent_at: number | null;
}

export interface ReportTables {
  report_schedules: ReportSchedulesTable;
  report_deliveries: ReportDeliveriesTable;
}
