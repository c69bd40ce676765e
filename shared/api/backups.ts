import { z } from 'zod';
import { Timestamp } from './common';

import { BackupClass, BackupKind, BackupStatus, DatabaseDialect } from '../domain/backups';

// Declared once in shared/domain; re-exported for the existing importers.
export { BackupClass, BackupKind, BackupStatus, DatabaseDialect } from '../domain/backups';

/** Written beside each backup file as `<file>.manifest.json`, so backups are found without the database. */
export const BackupManifest = z.object({
  format: z.literal('opsdesk-backup/1'),
  id: z.string(),
  createdAt: Timestamp,
  dialect: DatabaseDialect,
  kind: BackupKind,
  file: z.string().describe('file name, relative to the manifest'),
  /** SQLite copies: zstd (gzip where the runtime lacks zstd, and before it was used); PostgreSQL: pg_dump's custom format. */
  compression: z.enum(['zstd', 'gzip', 'pg_custom']),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  schemaVersion: z.string().nullable().describe('last applied migration'),
  rowCounts: z.record(z.string(), z.number().int()),
  verified: z.boolean(),
  verification: z.string(),
  appVersion: z.string(),
  /** Sealed with AES-256-GCM under the backup key (older backups: absent, stored in clear). */
  encryption: z.literal('aes-256-gcm').optional(),
  /** HMAC-SHA256 (hex) of the rest of the manifest under the backup key: a planted file is refused. */
  hmac: z.string().optional(),
});
export type BackupManifest = z.infer<typeof BackupManifest>;

/** A copy on the off-site SFTP server (listed from its signed manifest). */
export const OffsiteCopy = z.object({ id: z.string(), name: z.string(), createdAt: Timestamp, kind: BackupKind, dialect: DatabaseDialect, sizeBytes: z.number().int() });
export const OffsiteList = z.object({ configured: z.boolean(), where: z.string().nullable(), items: z.array(OffsiteCopy) });

export const Backup = z.object({
  id: z.string(),
  createdAt: Timestamp,
  dialect: DatabaseDialect,
  kind: BackupKind,
  status: BackupStatus,
  file: z.string().nullable(),
  sizeBytes: z.number().int().nullable(),
  sha256: z.string().nullable(),
  verified: z.boolean(),
  verification: z.string().nullable(),
  rowCounts: z.record(z.string(), z.number().int()).nullable(),
  schemaVersion: z.string().nullable(),
  jobId: z.string().nullable(),
  /** Retention classes that still keep it. */
  keptBy: z.array(BackupClass),
  prunedAt: Timestamp.nullable(),
  error: z.string().nullable(),
});
export type Backup = z.infer<typeof Backup>;

export const BackupListQuery = z.object({
  status: BackupStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const RetentionPolicy = z.object({ hourlyHours: z.number(), dailyDays: z.number(), weeklyWeeks: z.number(), monthlyMonths: z.number() });
export const BackupOverview = z.object({
  directory: z.string(),
  schedules: z.array(z.object({ name: z.string(), cron: z.string(), nextRun: Timestamp.nullable() })),
  retention: RetentionPolicy,
  lastSuccessAt: Timestamp.nullable(),
  freeBytes: z.number().nullable(),
});
export type BackupOverview = z.infer<typeof BackupOverview>;
/** Restoring is destructive: type the runbook id to confirm. */
export const RestoreBackupRequest = z.object({ confirmation: z.string().max(200).optional() }).nullish();
export const PruneResult = z.object({ pruned: z.array(z.string()), kept: z.number() });
