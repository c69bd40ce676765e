import { z } from 'zod';
import { Timestamp } from './common';

export const SeriesQuery = z
  .object({
    name: z.string().min(1).max(200),
    from: z.coerce.number().int().min(0),
    to: z.coerce.number().int().min(0),
    step: z.coerce.number().int().min(1).max(86_400).optional().describe('seconds per point; default chosen from the range'),
    label: z
      .union([z.string(), z.array(z.string())])
      .transform((v) => (Array.isArray(v) ? v : [v]))
      .pipe(z.array(z.string().regex(/^[^=]+=.*$/, 'label filters look like name=value')))
      .optional(),
  })
  .refine((q) => q.to > q.from, 'to must be after from')
  .refine((q) => q.to - q.from <= 366 * 86_400_000, 'range is at most a year');
export type SeriesQuery = z.infer<typeof SeriesQuery>;

export const SeriesResolution = z.enum(['raw', '1m', '1h']);
export const MetricSeries = z.object({
  labels: z.record(z.string(), z.string()),
  /** [time, average, min, max] per step bucket. */
  points: z.array(z.tuple([Timestamp, z.number(), z.number(), z.number()])),
});
export const SeriesResponse = z.object({
  name: z.string(),
  from: Timestamp,
  to: Timestamp,
  step: z.number().int(),
  resolution: SeriesResolution,
  series: z.array(MetricSeries),
});
export type SeriesResponse = z.infer<typeof SeriesResponse>;

export const MetricNames = z.array(z.object({ name: z.string(), lastAt: Timestamp }));
