import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index';

/**
 * The address a preference carried (an email override, an SMS number) becomes an unverified
 * contact method of its user, and the preference keeps only on/off and severity: paging now goes
 * to verified methods only, so each person confirms the numbers entered before verification existed.
 */
export function preferenceAddresses(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const rows = await sql<{ user_id: string; channel: string; address: string }>`select user_id, channel, address from notification_preferences where address is not null and channel in ('email', 'sms')`.execute(db);
      const now = Date.now();
      const seen = new Set<string>();
      for (const r of rows.rows) {
        const kind = r.channel === 'sms' ? 'phone' : 'email';
        const address = kind === 'email' ? r.address.trim().toLowerCase() : r.address.replace(/[\s()-]/g, '');
        if (seen.has(`${r.user_id} ${kind} ${address}`)) continue;
        seen.add(`${r.user_id} ${kind} ${address}`);
        await sql`insert into contact_methods (id, user_id, kind, address, verified_at, code_attempts, created_at) values (${randomUUID()}, ${r.user_id}, ${kind}, ${address}, null, 0, ${now})`.execute(db);
      }
      await sql`update notification_preferences set address = null`.execute(db);
    },
  };
}
