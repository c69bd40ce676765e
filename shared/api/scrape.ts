import { z } from 'zod';
import { Timestamp } from './common';

export const SCRAPE_STATES = ['pending', 'up', 'down', 'paused'] as const;
export const ScrapeState = z.enum(SCRAPE_STATES);
export type ScrapeState = z.infer<typeof ScrapeState>;
/** Where a target is declared: in the app / API, or by a service in SERVICES_FILE (read-only here). */
export const ScrapeSource = z.enum(['app', 'services']);

const LabelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'is not a label name');
const fields = {
  /** The `job` label: what kind of exporter (node, postgres, redis, …). */
  job: z.string().trim().min(1, 'is required').max(100).regex(/^[A-Za-z0-9_.:-]+$/, 'may contain letters, digits and _ . : - only'),
  /** The metrics URL; its host:port is the `instance` label. */
  url: z
    .string()
    .trim()
    .max(2000)
    .url('must be an http:// or https:// URL')
    .refine((u) => /^https?:\/\//i.test(u), 'must be an http:// or https:// URL'),
  intervalSeconds: z.number().int().min(5).max(3600),
  timeoutSeconds: z.number().min(0.1).max(60),
  /** A scrape with more samples than this fails (up = 0), as Prometheus's sample_limit. */
  sampleLimit: z.number().int().min(1).max(1_000_000),
  /** Extra labels on every series of the target (job and instance are set by the scraper). */
  labels: z
    .record(LabelName, z.string().max(200))
    .refine((l) => !('job' in l) && !('instance' in l), 'job and instance are set by the scraper'),
  paused: z.boolean(),
};

/** Defaults apply on create only: a PATCH changes just what it names. */
const defaults = {
  intervalSeconds: fields.intervalSeconds.default(15),
  timeoutSeconds: fields.timeoutSeconds.default(10),
  sampleLimit: fields.sampleLimit.default(10_000),
  labels: fields.labels.default({}),
  paused: fields.paused.default(false),
};
const timeoutWithinInterval = (t: { timeoutSeconds?: number; intervalSeconds?: number }) => t.timeoutSeconds === undefined || t.intervalSeconds === undefined || t.timeoutSeconds <= t.intervalSeconds;
const TIMEOUT_MESSAGE = { message: 'must not be longer than the interval', path: ['timeoutSeconds'] };

export const CreateScrapeTargetRequest = z.object({ ...fields, ...defaults }).refine(timeoutWithinInterval, TIMEOUT_MESSAGE);
export type CreateScrapeTargetRequest = z.input<typeof CreateScrapeTargetRequest>;
export const UpdateScrapeTargetRequest = z
  .object(fields)
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'nothing to change')
  .refine(timeoutWithinInterval, TIMEOUT_MESSAGE);
export type UpdateScrapeTargetRequest = z.infer<typeof UpdateScrapeTargetRequest>;

export const ScrapeTarget = z.object({
  id: z.string(),
  job: z.string(),
  url: z.string(),
  instance: z.string(),
  intervalSeconds: z.number().int(),
  timeoutSeconds: z.number(),
  sampleLimit: z.number().int(),
  labels: z.record(z.string(), z.string()),
  paused: z.boolean(),
  source: ScrapeSource,
  state: ScrapeState,
  lastScrapeAt: Timestamp.nullable(),
  lastDurationSeconds: z.number().nullable(),
  lastSamples: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type ScrapeTarget = z.infer<typeof ScrapeTarget>;

/** A service's metrics endpoint in SERVICES_FILE (`scrape` of a service). */
export const ServiceScrapeSpec = z.object({
  url: fields.url,
  job: fields.job.optional(),
  intervalSeconds: defaults.intervalSeconds,
  labels: defaults.labels,
});

/** One row of the monitoring overview: a scrape target, a probe or a health check, with its state. */
export const OverviewEntry = z.object({
  kind: z.enum(['target', 'probe', 'health']),
  id: z.string(),
  name: z.string(),
  /** warning: up, but an alert of it is open. */
  state: z.enum(['up', 'down', 'warning', 'pending', 'paused']),
  detail: z.string(),
  lastError: z.string().nullable(),
  lastErrorAt: Timestamp.nullable(),
  lastCheckedAt: Timestamp.nullable(),
  openAlerts: z.number().int(),
});
export type OverviewEntry = z.infer<typeof OverviewEntry>;
