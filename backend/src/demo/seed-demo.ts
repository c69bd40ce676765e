import { SYSTEM_ACTOR } from '../audit/audit-log';
import type { Services } from '../app/services';
import { randomSecret } from '../platform/ids';
import { seedMonitoringDemo } from '../monitoring/demo-data';
import { seedTickets } from '../tickets/seed-tickets';

export interface SeedOptions {
  tickets: number;
  log: (line: string) => void;
}

export const DEMO_USERS = [
  { email: 'admin@opsdesk.local', name: 'Ada Admin', role: 'admin' },
  { email: 'oncall@opsdesk.local', name: 'Omar Oncall', role: 'oncall' },
  { email: 'agent@opsdesk.local', name: 'Alice Agent', role: 'agent' },
  { email: 'agent2@opsdesk.local', name: 'Bob Agent', role: 'agent' },
] as const;

/**
 * Demo data: users of each role with fresh passwords (printed once), then each domain's records.
 * Users that already exist are kept as they are.
 */
export async function seedDemo(ctx: Services, options: SeedOptions): Promise<void> {
  const actor = { ...SYSTEM_ACTOR, email: 'seed-demo' };
  for (const u of DEMO_USERS) {
    if (await ctx.users.byEmail(u.email)) {
      options.log(`user ${u.email} exists; kept`);
      continue;
    }
    const password = `demo-${randomSecret(9)}`;
    await ctx.userService.create(actor, { ...u, password });
    options.log(`user ${u.email.padEnd(24)} role ${u.role.padEnd(6)} password ${password}`);
  }
  await seedTickets(ctx, { tickets: options.tickets, log: options.log });
  await seedMonitoringDemo(ctx, options.log);
}
