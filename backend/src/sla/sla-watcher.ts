import { sql, type Kysely, type SqlBool } from 'kysely';
import type { LiveEvent } from '../../../shared/api/events';
import type { Ticket } from '../../../shared/api/tickets';
import type { Database } from '../platform/db/schema';
import type { Clock } from '../platform/clock';
import type { EventHub } from '../platform/realtime/event-hub';
import type { Audience, ChangeFeed } from '../sync/change-feed';
import { TICKET_COLUMNS, toTicket } from '../tickets/ticket-model';
import type { SlaNotices, SlaNoticeKind, SlaTimer } from './sla-notices';

export const SLA_WATCH_INTERVAL_MS = 15_000;
const BATCH = 200;

type Timer = SlaTimer;

const COLUMNS = {
  first_response: { due: 'response_due_at', warn: 'response_warn_at', breached: 'response_breached_at', warned: 'response_warned_at' },
  resolution: { due: 'resolution_due_at', warn: 'resolution_warn_at', breached: 'resolution_breached_at', warned: 'resolution_warned_at' },
} as const;

/**
 * Marks running SLA timers that passed their deadline and announces each breach once, and each
 * 80 % warning once per run of the clock: the mark is a conditional update (`… where breached_at
 * is null`, `… where warned_at is null`), so two instances (two servers on one PostgreSQL
 * database) or two ticks never both announce it. A deadline change that moves a warning point
 * later than its announcement (the clock restarted, a longer target, later hours) clears the mark
 * (`rearmedWarnings`, sla-recompute.ts), so the new point is announced once again. The claimer tells the
 * assignee (or the queue) through SlaNotices. A timer that went from ok straight past its deadline
 * (downtime) gets only the breach. The lifecycle runs `tick()` every SLA_WATCH_INTERVAL_MS; tests
 * call it with a ManualClock.
 */
export class SlaWatcher {
  private running: Promise<number> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly changes: ChangeFeed,
    private readonly events: EventHub,
    private readonly clock: Clock,
    private readonly notices: SlaNotices | null = null,
  ) {}

  /** One pass; returns how many breaches it announced (warnings are counted in `warnings`). Overlapping calls share one pass. */
  tick(): Promise<number> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Warnings announced since start (by this instance). */
  warnings = 0;

  private async pass(): Promise<number> {
    let announced = 0;
    for (const timer of ['first_response', 'resolution'] as const) {
      for (;;) {
        const due = await this.warnCandidates(timer);
        for (const id of due) {
          if (await this.warn(id, timer)) this.warnings++;
          await new Promise((resolve) => setImmediate(resolve));
        }
        if (due.length < BATCH) break;
      }
      for (;;) {
        const due = await this.candidates(timer);
        for (const id of due) {
          if (await this.breach(id, timer)) announced++;
          // A catch-up after downtime can hold hundreds of breaches; let requests in between them.
          await new Promise((resolve) => setImmediate(resolve));
        }
        if (due.length < BATCH) break;
      }
    }
    return announced;
  }

  private async candidates(timer: Timer): Promise<string[]> {
    const now = this.clock.now();
    // Literal statuses (not parameters) so SQLite can match the partial watch indexes.
    let q = this.db.selectFrom('tickets').select('id').where('sla_paused_at', 'is', null).where(sql<SqlBool>`status in ('new', 'open')`);
    q =
      timer === 'first_response'
        ? q.where('response_breached_at', 'is', null).where('response_due_at', '<=', now).where('first_response_at', 'is', null)
        : q.where('resolution_breached_at', 'is', null).where('resolution_due_at', '<=', now);
    return (await q.limit(BATCH).execute()).map((r) => r.id);
  }

  private async warnCandidates(timer: Timer): Promise<string[]> {
    if (!this.notices) return [];
    const now = this.clock.now();
    const c = COLUMNS[timer];
    let q = this.db
      .selectFrom('tickets')
      .select('id')
      .where('sla_paused_at', 'is', null)
      .where(sql<SqlBool>`status in ('new', 'open')`)
      .where(c.warned, 'is', null)
      .where(c.warn, '<=', now)
      .where(c.due, '>', now)
      .where(c.breached, 'is', null);
    if (timer === 'first_response') q = q.where('first_response_at', 'is', null);
    return (await q.limit(BATCH).execute()).map((r) => r.id);
  }

  /**
   * Claims one timer's warning (once, across instances), records the ticket in the change feed (its
   * state is "warning" now: desktops and their filters follow) and tells the people who work it.
   */
  private async warn(id: string, timer: Timer): Promise<boolean> {
    const now = this.clock.now();
    const c = COLUMNS[timer];
    const out = await this.db.transaction().execute(async (trx) => {
      await this.changes.lock(trx);
      const res = await trx
        .updateTable('tickets')
        .set({ [c.warned]: now })
        .where('id', '=', id)
        .where(c.warned, 'is', null)
        .where(c.warn, '<=', now)
        .where('sla_paused_at', 'is', null)
        .where('status', 'in', ['new', 'open'])
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return undefined;
      const row = await trx.selectFrom('tickets').select(TICKET_COLUMNS).where('id', '=', id).executeTakeFirstOrThrow();
      const ticket = toTicket(row, now);
      const audience: Audience = { kind: 'queue', queueId: row.queue_id };
      const seq = await this.changes.record(trx, { entity: 'ticket', id, op: 'upsert', audience, data: ticket, actorId: null });
      const event: LiveEvent = { type: 'ticket.updated', seq, actor: null, data: ticket, at: now };
      return { event, audience, ticket, dueAt: row[c.due] };
    });
    if (!out) return false;
    this.events.publish(out.event, out.audience);
    await this.notify('warning', timer, out.ticket, out.dueAt);
    return true;
  }

  private async notify(kind: SlaNoticeKind, timer: Timer, ticket: Ticket, dueAt: number): Promise<void> {
    await this.notices?.send(kind, timer, ticket, dueAt);
  }

  private async breach(id: string, timer: Timer): Promise<boolean> {
    const now = this.clock.now();
    const out = await this.db.transaction().execute(async (trx) => {
      await this.changes.lock(trx);
      const column = timer === 'first_response' ? 'response_breached_at' : 'resolution_breached_at';
      const dueColumn = timer === 'first_response' ? 'response_due_at' : 'resolution_due_at';
      const res = await trx
        .updateTable('tickets')
        .set({ [column]: now })
        .where('id', '=', id)
        .where(column, 'is', null)
        .where(dueColumn, '<=', now)
        .where('sla_paused_at', 'is', null)
        .where('status', 'in', ['new', 'open'])
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return undefined;
      const row = await trx.selectFrom('tickets').select(TICKET_COLUMNS).where('id', '=', id).executeTakeFirstOrThrow();
      await trx
        .insertInto('ticket_events')
        .values({ ticket_id: id, actor_id: null, kind: 'sla_breached', field: timer, old_value: null, new_value: JSON.stringify({ dueAt: row[dueColumn] }), at: now })
        .execute();
      const ticket = toTicket(row, now);
      const audience: Audience = { kind: 'queue', queueId: row.queue_id };
      const seq = await this.changes.record(trx, { entity: 'ticket', id, op: 'upsert', audience, data: ticket, actorId: null });
      const event: LiveEvent = { type: 'ticket.sla_breached', seq, actor: null, data: { ticket, timer, dueAt: row[dueColumn] }, at: now };
      return { event, audience, ticket, dueAt: row[dueColumn] };
    });
    if (!out) return false;
    this.events.publish(out.event, out.audience);
    await this.notify('breach', timer, out.ticket, out.dueAt);
    return true;
  }
}
