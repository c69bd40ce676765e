import type { CliCommand } from '../cli/command';
import { withServices } from '../cli/with-services';

/** Sends one test notification through every configured channel and prints each result. */
export const testAlertsCommand: CliCommand = {
  name: 'test-alerts',
  summary: 'Send a test alert through every configured channel (email, Slack, SMS, desktop) and print the results',
  usage: 'test-alerts [--email ADDRESS]',
  options: { email: { type: 'string' } },
  async run({ config, values, out }) {
    return withServices(config, async (ctx) => {
      await ctx.monitoringRounds.init();
      // Email goes to the given address, else to every on-call and admin user.
      const users = await ctx.database.db.selectFrom('users').select(['id', 'email', 'name']).where('role', 'in', ['oncall', 'admin']).where('disabled', '=', 0).execute();
      const recipients = typeof values.email === 'string' ? [{ id: 'cli', email: values.email, name: values.email }] : users;
      const results = await ctx.notifier.sendTest(recipients, { desktop: false });
      const status = (r: (typeof results)[number]) => (r.ok ? 'sent' : r.error === 'not configured' ? 'not configured' : r.error?.startsWith('skipped') ? 'skipped' : 'FAILED');
      for (const r of results) out(`${r.channel.padEnd(8)} ${status(r).padEnd(15)} ${r.target}${r.error && r.error !== 'not configured' ? `  ${r.error}` : ''}`);
      const configured = results.filter((r) => r.error !== 'not configured' && !r.error?.startsWith('skipped'));
      return configured.length > 0 && configured.every((r) => r.ok) ? 0 : 1;
    });
  },
};
