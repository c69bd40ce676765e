import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Principal } from '../auth/auth-service';

/**
 * The visibility rule of the feed, once, as a predicate over the changes table under `alias`: what
 * every signed-in user sees, what is addressed to the caller, every queue for oncall and admin,
 * admin-only records for admin, and for an agent the changes into or out of their queues (the
 * latter handed out as tombstones). Delta pages and the snapshot (`snapshot.ts`) both use it.
 */
export function visibleTo(alias: string, principal: Principal, queueIds: string[]): RawBuilder<SqlBool> {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  const seesAllQueues = principal.role !== 'agent';
  const visible = [sql`${col('audience')} = 'all'`, sql`(${col('audience')} = 'user' and ${col('user_id')} = ${principal.userId})`];
  if (seesAllQueues) visible.push(sql`${col('audience')} in ('queue', 'oncall')`);
  if (principal.role === 'admin') visible.push(sql`${col('audience')} = 'admin'`);
  if (!seesAllQueues && queueIds.length) {
    const mine = sql.join(queueIds);
    visible.push(sql`(${col('audience')} = 'queue' and (${col('queue_id')} in (${mine}) or ${col('prev_queue_id')} in (${mine})))`);
  }
  return sql<SqlBool>`(${sql.join(visible, sql` or `)})`;
}
