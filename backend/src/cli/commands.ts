import type { CliCommand } from './command';
import { testAlertsCommand } from '../notifications/test-alerts-command';
import { generateReportCommand } from '../reports/generate-report-command';
import { checkHealthCommand, createAdminCommand, migrateCommand, seedDemoCommand } from './core-commands';

/** Every CLI command. Domains add theirs here. */
export const COMMANDS: CliCommand[] = [migrateCommand, createAdminCommand, checkHealthCommand, seedDemoCommand, testAlertsCommand, generateReportCommand];
