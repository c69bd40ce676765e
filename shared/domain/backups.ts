import { z } from 'zod';

/** The retention classes a backup is kept under. */
export const BACKUP_CLASSES = ['hourly', 'daily', 'weekly', 'monthly'] as const;
export const BackupClass = z.enum(BACKUP_CLASSES);
export type BackupClass = z.infer<typeof BackupClass>;

/** Why a backup was taken. */
export const BACKUP_KINDS = ['scheduled', 'manual', 'safety', 'pre-maintenance'] as const;
export const BackupKind = z.enum(BACKUP_KINDS);
export type BackupKind = z.infer<typeof BackupKind>;

export const BACKUP_STATUSES = ['ok', 'failed', 'pruned'] as const;
export const BackupStatus = z.enum(BACKUP_STATUSES);
export type BackupStatus = z.infer<typeof BackupStatus>;

/** The databases the server runs on. */
export const DATABASE_DIALECTS = ['sqlite', 'postgres'] as const;
export const DatabaseDialect = z.enum(DATABASE_DIALECTS);
export type DatabaseDialect = z.infer<typeof DatabaseDialect>;
