import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db/schema';
import type { EventHub } from '../platform/realtime/event-hub';
import type { ChangeFeed } from '../sync/change-feed';
import { toComment, type OutboundMailRow } from '../tickets/ticket-model';

type Outcome = Pick<OutboundMailRow, 'state' | 'attempts' | 'last_error' | 'sent_at' | 'next_attempt_at'>;

interface Pending {
  id: string;
  update: Partial<OutboundMailRow> | null;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Records delivery states and announces them: each change and its comment's change-feed entry in
 * one transaction, the live event after the commit. Group commit: an outcome arriving while a
 * commit runs waits for the next one, which takes every outcome waiting by then (several sends
 * finishing together cost one commit, a lone one is committed at once).
 */
export class DeliveryLog {
  private pending: Pending[] = [];
  private flushing = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly changes: ChangeFeed,
    private readonly events: EventHub,
    private readonly clock: Clock,
  ) {}

  /** An attempt's outcome (the row leaves `sending`). */
  record(id: string, outcome: Outcome): Promise<void> {
    return this.enqueue(id, { ...outcome, attempt_started_at: null, updated_at: this.clock.now() });
  }

  /** The row's current state to the ticket's viewers (after a change made elsewhere). */
  announce(id: string): Promise<void> {
    return this.enqueue(id, null);
  }

  private enqueue(id: string, update: Partial<OutboundMailRow> | null): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ id, update, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length) {
        const batch = this.pending.splice(0);
        try {
          const published = await this.db.transaction().execute(async (trx) => {
            await this.changes.lock(trx);
            const out: { seq: number; comment: ReturnType<typeof toComment>; audience: { kind: 'queue'; queueId: string; prevQueueId: null } }[] = [];
            for (const p of batch) {
              if (p.update) await trx.updateTable('outbound_mail').set(p.update).where('id', '=', p.id).execute();
              const entry = await this.change(trx, p.id);
              if (entry) out.push(entry);
            }
            return out;
          });
          for (const p of published) this.events.publish({ type: 'comment.delivery', seq: p.seq, actor: null, data: p.comment, at: this.clock.now() }, p.audience);
          for (const p of batch) p.resolve();
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** The comment, with its delivery state, into the change feed (none for an acknowledgement). */
  private async change(trx: Kysely<Database>, id: string) {
    const d = await trx.selectFrom('outbound_mail').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    if (!d.comment_id) return null;
    const c = await trx.selectFrom('ticket_comments').selectAll().where('id', '=', d.comment_id).executeTakeFirst();
    const t = await trx.selectFrom('tickets').select(['queue_id']).where('id', '=', d.ticket_id).executeTakeFirst();
    if (!c || !t) return null;
    const comment = toComment(c, d);
    const audience = { kind: 'queue' as const, queueId: t.queue_id, prevQueueId: null };
    const seq = await this.changes.record(trx, { entity: 'comment', id: c.id, op: 'upsert', audience, data: comment, actorId: null });
    return { seq, comment, audience };
  }
}
