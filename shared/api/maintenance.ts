import { z } from 'zod';
import { MaintenanceStatus } from '../domain/operations';
import { Timestamp } from './common';

export const MaintenanceWindowInput = z
  .object({
    title: z.string().trim().min(1).max(200),
    announcement: z.string().max(4000).default(''),
    startsAt: Timestamp,
    endsAt: Timestamp,
    /** Recurring windows: a cron expression for the start; the duration is endsAt - startsAt. */
    cron: z.string().max(100).optional(),
    timezone: z.string().max(64).default('UTC'),
    services: z.array(z.string().max(100)).max(50).default([]),
    silenceAlerts: z.boolean().default(true),
  })
  .refine((w) => w.endsAt > w.startsAt, { message: 'endsAt must be after startsAt', path: ['endsAt'] });
export type MaintenanceWindowInput = z.infer<typeof MaintenanceWindowInput>;

export const MaintenanceWindow = z.object({
  id: z.string(),
  title: z.string(),
  announcement: z.string(),
  startsAt: Timestamp,
  endsAt: Timestamp,
  cron: z.string().nullable(),
  timezone: z.string(),
  services: z.array(z.string()),
  silenceAlerts: z.boolean(),
  status: MaintenanceStatus,
  /** The occurrence in progress or next to come. */
  currentStart: Timestamp.nullable(),
  currentEnd: Timestamp.nullable(),
  silenceIds: z.array(z.string()),
  silencing: z.string().nullable().describe('why alerts could not be silenced, when they could not'),
  /** The manual's 48 hours' notice: when it went out for the current occurrence (null: not yet). */
  noticeSentAt: Timestamp.nullable(),
  createdBy: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type MaintenanceWindow = z.infer<typeof MaintenanceWindow>;

export const MaintenanceModeStatus = z.object({ active: z.boolean(), reason: z.string().nullable(), since: Timestamp.nullable() });
/** Parameters of the maintenance wizard beyond the window's title and services. */
export const StartMaintenanceWizardRequest = z.object({ params: z.record(z.string(), z.unknown()).default({}) }).nullish();
