import { cliServices } from '../app/processes';
import { SYSTEM_ACTOR } from '../audit/audit-log';
import { migrateToLatest } from '../platform/db/migrate';
import { AppError } from '../platform/http/errors';
import { seedDemo } from '../demo/seed-demo';
import { createLogger } from '../platform/logging';
import { CliUsageError, type CliCommand } from './command';
import { withServices } from './with-services';

const CLI_ACTOR = { ...SYSTEM_ACTOR, email: 'cli' };

export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'Apply pending database migrations (also done at server start)',
  usage: 'migrate',
  options: {},
  async run({ config, out }) {
    const services = cliServices(config, { logger: createLogger(config, 2) });
    try {
      const applied = await migrateToLatest(services.database);
      out(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Schema is up to date');
      return 0;
    } finally {
      await services.lifecycle.stop();
    }
  },
};

export const createAdminCommand: CliCommand = {
  name: 'create-admin',
  summary: 'Create an admin account',
  usage: 'create-admin --email <email> [--name <name>] [--password-stdin]',
  options: { email: { type: 'string' }, name: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
  async run({ config, values, out, err, stdin }) {
    if (typeof values.email !== 'string') throw new CliUsageError('--email is required');
    if (!values['password-stdin']) throw new CliUsageError('pass the password on standard input with --password-stdin');
    const password = (await stdin()).replace(/\r?\n$/, '');
    return withServices(config, async (ctx) => {
      try {
        const user = await ctx.userService.createAdmin(CLI_ACTOR, values.email as string, password, (values.name as string) ?? 'Administrator');
        out(`Created admin ${user.email} (${user.id})`);
        return 0;
      } catch (e) {
        if (e instanceof AppError) {
          err(e.message);
          return 1;
        }
        throw e;
      }
    });
  },
};

export const checkHealthCommand: CliCommand = {
  name: 'check-health',
  summary: 'Run the health checks once; exit 0 when healthy, 1 otherwise',
  usage: 'check-health [--json]',
  options: { json: { type: 'boolean' } },
  async run({ config, values, out }) {
    return withServices(config, async (ctx) => {
      const report = await ctx.health.run();
      if (values.json) out(JSON.stringify(report, null, 2));
      else {
        out(`overall: ${report.status}`);
        for (const c of report.checks) out(`  ${c.name.padEnd(10)} ${c.status.padEnd(9)} ${String(c.latencyMs).padStart(7)} ms  ${c.message ?? ''}`);
      }
      return report.status === 'down' ? 1 : 0;
    });
  },
};

export const seedDemoCommand: CliCommand = {
  name: 'seed-demo',
  summary: 'Fill the database with realistic demo data; prints the demo passwords once',
  usage: 'seed-demo [--tickets N]',
  options: { tickets: { type: 'string', default: '200' } },
  async run({ config, values, out }) {
    const tickets = Number(values.tickets);
    if (!Number.isInteger(tickets) || tickets < 0 || tickets > 10_000_000) throw new CliUsageError('--tickets must be a whole number up to 10,000,000');
    return withServices(config, async (ctx) => {
      await seedDemo(ctx, { tickets, log: out });
      return 0;
    });
  },
};
