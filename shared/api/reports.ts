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
