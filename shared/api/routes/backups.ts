import { z } from 'zod';
import { Backup, BackupListQuery, BackupManifest, BackupOverview, OffsiteList, PruneResult, RestoreBackupRequest } from '../backups';
import { Job, JobIdParams } from '../jobs';
import { defineRoutes } from '../route';

/** Database backups: list, schedules and retention; create, verify and restore run as jobs. */
export const BACKUP_ROUTES = defineRoutes('backups', {
  'backups.list': { method: 'GET', path: '/backups', access: { role: 'oncall' }, query: BackupListQuery, response: z.array(Backup) },
  'backups.overview': { method: 'GET', path: '/backups/overview', summary: 'Directory, schedules, retention, last success and free space', access: { role: 'oncall' }, response: BackupOverview },
  'backups.offsite.list': { method: 'GET', path: '/backups/offsite', summary: 'Copies on the off-site SFTP server', access: { role: 'oncall' }, response: OffsiteList },
  'backups.offsite.restore': { method: 'POST', path: '/backups/offsite/:id/restore', summary: 'Requests a restore-database job of an off-site copy (fetched first)', access: { role: 'admin' }, params: JobIdParams, body: RestoreBackupRequest, status: 201, response: Job },
  'backups.get': { method: 'GET', path: '/backups/:id', access: { role: 'oncall' }, params: JobIdParams, response: Backup },
  'backups.manifest.get': { method: 'GET', path: '/backups/:id/manifest', summary: 'The manifest written beside the backup file', access: { role: 'oncall' }, params: JobIdParams, response: BackupManifest },
  'backups.create': { method: 'POST', path: '/backups', summary: 'Requests a backup-database job', access: { role: 'oncall' }, status: 201, response: Job },
  'backups.verify': { method: 'POST', path: '/backups/:id/verify', summary: 'Requests a verify-backup job', access: { role: 'oncall' }, params: JobIdParams, status: 201, response: Job },
  'backups.restore': { method: 'POST', path: '/backups/:id/restore', summary: 'Requests a restore-database job', access: { role: 'admin' }, params: JobIdParams, body: RestoreBackupRequest, status: 201, response: Job },
  'backups.prune': { method: 'POST', path: '/backups/prune', summary: 'Applies the retention policy now', access: { role: 'admin' }, response: PruneResult },
});
