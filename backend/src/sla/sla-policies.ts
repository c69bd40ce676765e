import type { Kysely } from 'kysely';
import type { SlaPolicy, TicketPriority } from '../../../shared/api/tickets';
import { TICKET_PRIORITIES } from '../../../shared/api/tickets';
import type { Actor, AuditLog } from '../audit/audit-log';
import type { Database } from '../platform/db/schema';
import type { Clock } from '../platform/clock';
import type { BusinessTime } from '../../../shared/domain/business-hours';
import type { SlaTargets } from './sla-clock';
import type { SlaRecompute } from './sla-recompute';

/** Where a queue's business hours come from (CalendarService). */
export interface QueueTime {
  timeFor(queueId: string, trx?: Kysely<Database>): Promise<BusinessTime>;
}

/** First-response and resolution targets per priority; admins edit them, new deadlines use them. */
export class SlaPolicies {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly calendars: QueueTime,
    private readonly recompute: Pick<SlaRecompute, 'start'>,
  ) {}

  async list(): Promise<SlaPolicy[]> {
    const rows = await this.db.selectFrom('sla_policies').selectAll().execute();
    const byPriority = new Map(rows.map((r) => [r.priority, r]));
    return [...TICKET_PRIORITIES].reverse().map((p) => {
      const r = byPriority.get(p)!;
      return { priority: p, firstResponseMinutes: Math.round(r.first_response_ms / 60_000), resolutionMinutes: Math.round(r.resolution_ms / 60_000), updatedAt: r.updated_at };
    });
  }

  /** The targets of a priority, counted in the queue's business hours. */
  async targets(priority: TicketPriority, queueId: string, trx: Kysely<Database> = this.db): Promise<Required<SlaTargets>> {
    const r = await trx.selectFrom('sla_policies').selectAll().where('priority', '=', priority).executeTakeFirstOrThrow();
    return { firstResponseMs: Number(r.first_response_ms), resolutionMs: Number(r.resolution_ms), time: await this.calendars.timeFor(queueId, trx) };
  }

  /** How the queue's SLA clocks run (24×7 unless a calendar is attached). */
  timeFor(queueId: string, trx: Kysely<Database> = this.db): Promise<BusinessTime> {
    return this.calendars.timeFor(queueId, trx);
  }

  async allTargets(): Promise<Record<TicketPriority, SlaTargets>> {
    const rows = await this.db.selectFrom('sla_policies').selectAll().execute();
    return Object.fromEntries(rows.map((r) => [r.priority, { firstResponseMs: Number(r.first_response_ms), resolutionMs: Number(r.resolution_ms) }])) as Record<
      TicketPriority,
      SlaTargets
    >;
  }

  /** New tickets use the new targets; the running clocks of this priority are re-laid from the time they used (SlaRecompute). */
  async update(actor: Actor, priority: TicketPriority, input: { firstResponseMinutes: number; resolutionMinutes: number }): Promise<SlaPolicy> {
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('sla_policies')
        .set({ first_response_ms: input.firstResponseMinutes * 60_000, resolution_ms: input.resolutionMinutes * 60_000, updated_at: now, updated_by: actor.id })
        .where('priority', '=', priority)
        .execute();
      await this.audit.record(actor, { action: 'sla.policy_updated', targetType: 'sla_policy', targetId: priority, details: { ...input } }, trx);
    });
    const targets = { firstResponseMs: input.firstResponseMinutes * 60_000, resolutionMs: input.resolutionMinutes * 60_000 };
    this.recompute.start(actor, { kind: 'policy', priority, targets, timeFor: (queueId, trx) => this.calendars.timeFor(queueId, trx) });
    return (await this.list()).find((p) => p.priority === priority)!;
  }
}
