import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/schema';
import type { Notifier } from '../notifications/notifier';

const RANKS = ['oncall', 'admin'] as const;

/**
 * Notices to the people who hold a role (desktop and email, per their preferences): a procedure's
 * reminder goes to its role; when nobody holds that role (a small team), to the role above it.
 */
export class RoleNotices {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly notifier: Pick<Notifier, 'notice'>,
  ) {}

  async toRole(role: 'oncall' | 'admin', message: { subject: string; text: string }): Promise<number> {
    for (const r of RANKS.slice(RANKS.indexOf(role))) {
      const people = await this.db.selectFrom('users').select(['id', 'email', 'name']).where('role', '=', r).where('disabled', '=', 0).execute();
      if (!people.length) continue;
      await this.notifier.notice(people, { ...message, severity: 'low', alertId: null });
      return people.length;
    }
    return 0;
  }
}
