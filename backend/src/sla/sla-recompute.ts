import { sql, type Kysely, type SqlBool } from 'kysely';
import type { LiveEvent } from '../../../shared/api/events';
import type { Ticket, TicketPriority } from '../../../shared/api/tickets';
import type { BusinessTime } from '../../../shared/domain/business-hours';
import type { Actor, AuditLog } from '../audit/audit-log';
import type { Database } from '../platform/db/schema';
import type { Clock } from '../platform/clock';
import type { EventHub } from '../platform/realtime/event-hub';
import type { Audience, ChangeFeed } from '../sync/change-feed';
import { TICKET_COLUMNS, toTicket, type TicketRow } from '../tickets/ticket-model';
import { SlaClock, type SlaFields, type SlaTargets } from './sla-clock';

/** Tickets read, rewritten and published per transaction. */
export const RECOMPUTE_BATCH = 200;

/** What changed, for the audit entry and the rows it selects. */
export type RecomputeCause =
  | { kind: 'calendar'; calendarId: string; queueIds: string[]; from: BusinessTime; to: BusinessTime }
  | { kind: 'queue_calendar'; queueId: string; calendarId: string | null; from: BusinessTime; to: BusinessTime }
  | { kind: 'policy'; priority: TicketPriority; targets: { firstResponseMs: number; resolutionMs: number }; timeFor(queueId: string, trx: Kysely<Database>): Promise<BusinessTime> };

/**
 * Re-lays the deadlines of running SLA clocks after the rules they were computed with changed: a
 * calendar's hours or holidays, the calendar a queue follows, a policy's targets. It walks the
 * affected tickets by id in batches of RECOMPUTE_BATCH, each batch one transaction under the change
 * feed's lock (so a concurrent edit of the same ticket is either before or after it, never lost),
 * records every rewritten ticket in the change feed (desktops sync the new due times), publishes
 * `ticket.updated` after each commit, re-arms the warnings whose 80 % point moved later, and audits
 * the whole recompute once. Paused, met and breached clocks are left as they are (SlaClock).
 */
export class SlaRecompute {
  /** The recomputes started and not yet done, one after the other (each re-lays what the one before left). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly changes: ChangeFeed,
    private readonly events: EventHub,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    /** A recompute that failed (logged and counted by the lifecycle's report). */
    private readonly failed: (err: unknown) => void,
    private readonly batchSize = RECOMPUTE_BATCH,
  ) {}

  /**
   * Starts a recompute after the ones already started, without waiting for it: the admin's change
   * answers at once, however many tickets follow (a PUT that waited for 20,000 tickets would outlast
   * the desktop's request timeout). `idle()` waits for all of them.
   */
  start(actor: Actor, cause: RecomputeCause): void {
    this.queue = this.queue.then(() => this.run(actor, cause)).catch((err: unknown) => this.failed(err));
  }

  /** Resolves when every recompute started so far is done (tests, shutdown). */
  async idle(): Promise<void> {
    for (let seen: Promise<unknown> | null = null; seen !== this.queue; ) {
      seen = this.queue;
      await seen;
    }
  }

  /** Recomputes and returns how many tickets got new deadlines. */
  async run(actor: Actor, cause: RecomputeCause): Promise<number> {
    let after = '';
    let rewritten = 0;
    for (;;) {
      const { last, count } = await this.batch(cause, after);
      rewritten += count;
      if (last === null) break;
      after = last;
      // Tens of thousands of open tickets: let requests in between the batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await this.audit.record(actor, { action: 'sla.deadlines_recomputed', targetType: cause.kind === 'policy' ? 'sla_policy' : cause.kind === 'calendar' ? 'calendar' : 'queue', targetId: targetOf(cause), details: { ...detailsOf(cause), tickets: rewritten } });
    return rewritten;
  }

  private async batch(cause: RecomputeCause, after: string): Promise<{ last: string | null; count: number }> {
    const published: { event: LiveEvent; audience: Audience }[] = [];
    const result = await this.db.transaction().execute(async (trx) => {
      await this.changes.lock(trx);
      const now = this.clock.now();
      let q = trx
        .selectFrom('tickets')
        .select(TICKET_COLUMNS)
        .where(sql<SqlBool>`status in ('new', 'open')`)
        .where('sla_paused_at', 'is', null)
        .where('id', '>', after);
      if (cause.kind === 'calendar') q = q.where('queue_id', 'in', cause.queueIds);
      if (cause.kind === 'queue_calendar') q = q.where('queue_id', '=', cause.queueId);
      if (cause.kind === 'policy') q = q.where('priority', '=', cause.priority);
      const rows = (await q.orderBy('id').limit(this.batchSize).execute()) as TicketRow[];
      const times = new Map<string, BusinessTime>();
      const rewritten: { ticket: Ticket; audience: Audience }[] = [];
      for (const row of rows) {
        const next = await this.rewrite(trx, cause, row, now, times);
        if (!next) continue;
        await trx
          .updateTable('tickets')
          .set({ ...slaColumns(next), ...rearmedWarnings(row, next) })
          .where('id', '=', row.id)
          .execute();
        rewritten.push({ ticket: toTicket({ ...row, ...next }, now), audience: { kind: 'queue', queueId: row.queue_id } });
      }
      const seqs = await this.changes.recordMany(trx, rewritten.map((r) => ({ entity: 'ticket', id: r.ticket.id, op: 'upsert', audience: r.audience, data: r.ticket, actorId: null })));
      rewritten.forEach((r, i) => published.push({ event: { type: 'ticket.updated', seq: seqs[i]!, actor: null, data: r.ticket, at: now }, audience: r.audience }));
      const count = rewritten.length;
      return { last: rows.length < this.batchSize ? null : rows.at(-1)!.id, count };
    });
    for (const p of published) this.events.publish(p.event, p.audience);
    return result;
  }

  private async rewrite(trx: Kysely<Database>, cause: RecomputeCause, row: TicketRow, now: number, times: Map<string, BusinessTime>): Promise<SlaFields | null> {
    if (cause.kind !== 'policy') return SlaClock.onCalendar(row, cause.from, cause.to, now);
    let time = times.get(row.queue_id);
    if (!time) times.set(row.queue_id, (time = await cause.timeFor(row.queue_id, trx)));
    const targets: SlaTargets = { ...cause.targets, time };
    return SlaClock.onTargets(row, targets, now);
  }
}

const slaColumns = (f: SlaFields) => ({
  sla_response_ms: f.sla_response_ms,
  sla_resolution_ms: f.sla_resolution_ms,
  response_due_at: f.response_due_at,
  response_warn_at: f.response_warn_at,
  resolution_due_at: f.resolution_due_at,
  resolution_warn_at: f.resolution_warn_at,
  due_sort: f.due_sort,
});

function targetOf(cause: RecomputeCause): string {
  if (cause.kind === 'policy') return cause.priority;
  return cause.kind === 'calendar' ? cause.calendarId : cause.queueId;
}

function detailsOf(cause: RecomputeCause): Record<string, unknown> {
  if (cause.kind === 'policy') return { cause: 'policy', priority: cause.priority, firstResponseMinutes: cause.targets.firstResponseMs / 60_000, resolutionMinutes: cause.targets.resolutionMs / 60_000 };
  if (cause.kind === 'calendar') return { cause: 'calendar', calendarId: cause.calendarId, queueIds: cause.queueIds };
  return { cause: 'queue_calendar', queueId: cause.queueId, calendarId: cause.calendarId };
}

const rearm = (column: 'response_warned_at' | 'resolution_warned_at', warnAt: number) =>
  sql<number | null>`case when ${sql.ref(column)} < ${warnAt} then null else ${sql.ref(column)} end`;

/**
 * The warning marks a deadline change re-arms, as column updates: a timer whose 80 % point moved
 * later than the moment its warning was announced gets a fresh warning when the new point is
 * reached (at once when it already passed: a restarted clock in its last 20 %) — a ticket open
 * again after waiting on the customer, a longer target, later hours. A point moved earlier keeps
 * the warning it had.
 */
export function rearmedWarnings(before: Pick<SlaFields, 'response_warn_at' | 'resolution_warn_at'>, after: Pick<SlaFields, 'response_warn_at' | 'resolution_warn_at'>) {
  return {
    ...(after.response_warn_at > before.response_warn_at && { response_warned_at: rearm('response_warned_at', after.response_warn_at) }),
    ...(after.resolution_warn_at > before.resolution_warn_at && { resolution_warned_at: rearm('resolution_warned_at', after.resolution_warn_at) }),
  };
}
