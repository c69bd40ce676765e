import type { CliCommand } from './command';
import { checkHealthCommand, createAdminCommand, migrateCommand, seedDemoCommand } from './core-commands';
import { testAlertsCommand } from '../notifications/test-alerts-command';
import { generateReportCommand } from '../reports/generate-report-command';
import { backupCommand, listBackupsCommand, restoreCommand } from '../backups/backup-commands';
import { publishUpdateCommand } from '../updates/publish-update-command';

/** Every CLI command. Domains add theirs here. */
export const COMMANDS: CliCommand[] = [migrateCommand, createAdminCommand, checkHealthCommand, seedDemoCommand, testAlertsCommand, generateReportCommand, backupCommand, restoreCommand, listBackupsCommand, publishUpdateCommand];
