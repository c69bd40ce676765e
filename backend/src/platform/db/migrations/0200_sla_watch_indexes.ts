import { sql, type Kysely } from 'kysely';

/**
 * The SLA watcher's partial indexes hold only what it looks for. 0010's first-response index kept
 * every open ticket not yet marked as breached, so answered tickets (first_response_at set) past
 * their due time stayed in it: at 300,000 tickets the watcher read ~50,000 of them from the table
 * on every pass, 0.45 s with the event loop blocked. Both indexes now also leave out paused
 * timers, and the first-response one answered tickets: the watcher reads only real candidates.
 * The 80 % warning indexes (0132) get the same treatment, and also leave out breached timers, which
 * are never warned and would otherwise stay in them for good.
 */
export function slaWatchIndexes() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const running = async (name: string, column: string, unset: string[]) => {
        await db.schema.dropIndex(name).execute();
        let index = db.schema
          .createIndex(name)
          .on('tickets')
          .column(column)
          .where(sql.ref('status'), 'in', [sql.lit('new'), sql.lit('open')])
          .where(sql.ref('sla_paused_at'), 'is', null);
        for (const c of unset) index = index.where(sql.ref(c), 'is', null);
        await index.execute();
      };
      await running('tickets_response_watch', 'response_due_at', ['response_breached_at', 'first_response_at']);
      await running('tickets_resolution_watch', 'resolution_due_at', ['resolution_breached_at']);
      await running('tickets_response_warn_watch', 'response_warn_at', ['response_warned_at', 'response_breached_at', 'first_response_at']);
      await running('tickets_resolution_warn_watch', 'resolution_warn_at', ['resolution_warned_at', 'resolution_breached_at']);
    },
  };
}
