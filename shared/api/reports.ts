import { z } from 'zod';
import { Timestamp } from './common';

export const ReportType = z.enum(['daily', 'weekly']);
export type ReportType = z.infer<typeof ReportType>;
export const ReportFormat = z.enum(['json', 'csv', 'html']);
export type ReportFormat = z.infer<typeof ReportFormat>;

export const ReportQuery = z.object({
  format: ReportFormat.default('json'),
  /** End of the period (epoch ms); default now. */
  to: z.coerce.number().int().min(0).optional(),
});

const Counts = z.record(z.string(), z.number().int());
export const Report = z.object({
  type: ReportType,
  from: Timestamp,
  to: Timestamp,
  generatedAt: Timestamp,
  alerts: z.object({
    total: z.number().int(),
    bySeverity: Counts,
    bySource: Counts,
    acknowledged: z.number().int(),
    resolved: z.number().int(),
    /** Mean time to acknowledge, seconds; null when nothing was acknowledged. */
    mttaSeconds: z.number().nullable(),
    /** Mean time to resolve, seconds. */
    mttrSeconds: z.number().nullable(),
  }),
  incidents: z.object({
    total: z.number().int(),
    bySeverity: Counts,
    byState: Counts,
    responseBreaches: z.number().int(),
    mttrSeconds: z.number().nullable(),
  }),
  uptime: z.array(z.object({ check: z.string(), percent: z.number().nullable(), samples: z.number().int() })),
  tickets: z.object({
    available: z.boolean(),
    note: z.string().nullable(),
    created: z.number().int(),
    resolved: z.number().int(),
    slaCompliancePercent: z.number().nullable(),
  }),
});
export type Report = z.infer<typeof Report>;

/** A calendar day, `YYYY-MM-DD`. */
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD');
/** An IANA time zone name; the server checks that it exists. */
export const TimeZone = z.string().min(1).max(64).regex(/^[A-Za-z0-9_+\-/]+$/, 'must be an IANA time zone name such as Europe/Berlin');

export const ReportPeriod = z.enum(['daily', 'weekly', 'custom']);
export type ReportPeriod = z.infer<typeof ReportPeriod>;

/**
 * The range of the operations report, in the reader's time zone: a calendar day (daily), the ISO
 * week (Monday to Sunday) containing `date` (weekly), or `from`..`to` inclusive (custom, at most 92 days).
 */
export const ReportRangeQuery = z.object({
  period: ReportPeriod.default('daily'),
  /** The day of a daily report, any day of a weekly report's week; default today in `tz`. */
  date: Day.optional(),
  from: Day.optional(),
  to: Day.optional(),
  tz: TimeZone.default('UTC'),
});
export type ReportRangeQuery = z.infer<typeof ReportRangeQuery>;
export const ReportExportQuery = ReportRangeQuery.extend({ format: z.enum(['csv', 'html']) });
export type ReportExportQuery = z.infer<typeof ReportExportQuery>;

/** Mean times of one group of alerts (seconds; null when no alert of it was acknowledged / resolved). */
export const MttRow = z.object({
  key: z.string(),
  label: z.string(),
  alerts: z.number().int(),
  acknowledged: z.number().int(),
  resolved: z.number().int(),
  mttaSeconds: z.number().nullable(),
  mttrSeconds: z.number().nullable(),
});
export type MttRow = z.infer<typeof MttRow>;

export const OpsReport = z.object({
  period: ReportPeriod,
  timeZone: z.string(),
  /** Start (inclusive) and end (exclusive) of the range, epoch ms. */
  from: Timestamp,
  to: Timestamp,
  /** The range as the reader says it: "2026-12-01", "2026-W49 (Nov 30 – Dec 6)", "2026-11-01 – 2026-11-30". */
  label: z.string(),
  generatedAt: Timestamp,
  summary: MttRow,
  bySeverity: z.array(MttRow),
  byPolicy: z.array(MttRow),
  /** Alerts whose escalation policy pages the schedule at some level. */
  bySchedule: z.array(MttRow),
  /** The most frequent alert names (at most 10). */
  topAlerts: z.array(MttRow),
  bySource: z.array(z.object({ source: z.string(), alerts: z.number().int() })),
  /** Alerts started per local day of the range. */
  perDay: z.array(z.object({ day: Day, from: Timestamp, alerts: z.number().int(), pages: z.number().int() })),
  /** On-call load: pages (escalation records), distinct alerts paged for, notifications sent, acknowledgements. */
  pagesPerPerson: z.array(z.object({ userId: z.string(), name: z.string(), email: z.string(), pages: z.number().int(), alerts: z.number().int(), notifications: z.number().int(), acknowledged: z.number().int() })),
  /** Tickets per queue: created in the range; resolved in it, and of those resolved without a breached SLA. */
  slaByQueue: z.array(z.object({ queueId: z.string(), queue: z.string(), created: z.number().int(), resolved: z.number().int(), met: z.number().int(), breached: z.number().int(), compliancePercent: z.number().nullable() })),
});
export type OpsReport = z.infer<typeof OpsReport>;

/** An export, as text the app saves as a file. */
export const ReportExport = z.object({ filename: z.string(), contentType: z.string(), content: z.string() });
export type ReportExport = z.infer<typeof ReportExport>;

/** A report emailed to chosen recipients after each day or week (in `timeZone`), at `hour` local time. */
export const ReportScheduleInput = z.object({
  name: z.string().trim().min(1, 'name is required').max(120),
  period: z.enum(['daily', 'weekly']),
  recipients: z.array(z.string().trim().toLowerCase().email('each recipient must be an email address')).min(1, 'at least one recipient').max(50),
  timeZone: TimeZone.default('UTC'),
  /** Local hour (0–23) after the period's end when it is sent. */
  hour: z.number().int().min(0).max(23).default(7),
  enabled: z.boolean().default(true),
});
export type ReportScheduleInput = z.infer<typeof ReportScheduleInput>;
export const ReportSchedulePatch = ReportScheduleInput.partial();
export type ReportSchedulePatch = z.infer<typeof ReportSchedulePatch>;

export const ReportSchedule = z.object({
  id: z.string(),
  name: z.string(),
  period: z.enum(['daily', 'weekly']),
  recipients: z.array(z.string()),
  timeZone: z.string(),
  hour: z.number().int(),
  enabled: z.boolean(),
  createdBy: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  /** The last period sent (or tried): its label, when, and how it went. */
  last: z.object({ label: z.string(), status: z.enum(['sending', 'sent', 'failed']), at: Timestamp, error: z.string().nullable() }).nullable(),
});
export type ReportSchedule = z.infer<typeof ReportSchedule>;
