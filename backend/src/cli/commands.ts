import type { CliCommand } from './command';
import { checkHealthCommand, createAdminCommand, migrateCommand, seedDemoCommand } from './core-commands';

/** Every CLI command. Domains add theirs here. */
export const COMMANDS: CliCommand[] = [migrateCommand, createAdminCommand, checkHealthCommand, seedDemoCommand];
