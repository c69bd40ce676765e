/** Business-hours calendars and the queue → calendar assignment (migration 0131). */
export interface BusinessCalendarsTable {
  id: string;
  name: string;
  time_zone: string;
  windows: string;
  holidays: string;
  created_at: number;
  updated_at: number;
  updated_by: string | null;
}

export interface QueueSlaCalendarsTable {
  queue_id: string;
  calendar_id: string;
  updated_at: number;
}

export interface CalendarTables {
  business_calendars: BusinessCalendarsTable;
  queue_sla_calendars: QueueSlaCalendarsTable;
}
