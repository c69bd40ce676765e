import type { Kysely } from 'kysely';
import type { Principal } from '../auth/auth-service';
import type { Database } from '../platform/db/schema';

/** The queues a caller may see: agents their memberships, oncall and admin every queue (`all`). */
export type QueueScope = { all: true } | { all: false; queueIds: string[] };

export class QueueAccess {
  constructor(private readonly db: Kysely<Database>) {}

  async memberships(userId: string, trx: Kysely<Database> = this.db): Promise<string[]> {
    const rows = await trx.selectFrom('queue_members').select('queue_id').where('user_id', '=', userId).execute();
    return rows.map((r) => r.queue_id);
  }

  async scopeOf(principal: Principal): Promise<QueueScope> {
    if (principal.role !== 'agent') return { all: true };
    return { all: false, queueIds: await this.memberships(principal.userId) };
  }

  static sees(scope: QueueScope, queueId: string): boolean {
    return scope.all || scope.queueIds.includes(queueId);
  }
}
