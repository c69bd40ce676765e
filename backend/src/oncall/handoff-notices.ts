import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { Database } from '../platform/db/schema';
import type { Clock } from '../platform/clock';
import type { Notifier, Recipient } from '../notifications/notifier';
import { finalShifts } from './rota';
import type { ScheduleService } from './schedule-service';

const DAY = 86_400_000;

/**
 * Tells the incoming and the outgoing person when the final layer of a schedule hands off, once
 * per hand-off: each one is claimed in oncall_handoffs before its notices go out, so a restart or
 * a second backend never repeats it. Hand-offs up to `lookbackMs` old are still announced (a
 * server that was down for a few minutes catches up; older ones are history).
 */
export class HandoffNotices {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly schedules: ScheduleService,
    private readonly notifier: Pick<Notifier, 'notice'>,
    private readonly lookbackMs = 15 * 60_000,
  ) {}

  /** Announces the hand-offs since the lookback; answers how many were announced. */
  async tick(): Promise<number> {
    const now = this.clock.now();
    let announced = 0;
    for (const id of await this.schedules.scheduleIds()) {
      const since = now - this.lookbackMs;
      const spec = await this.schedules.spec(id, since - DAY, now + 1);
      const shifts = finalShifts(spec, since - DAY, now + 1);
      const moments = new Set<number>();
      for (const s of shifts) {
        if (s.start > since && s.start <= now) moments.add(s.start);
        if (s.end > since && s.end <= now) moments.add(s.end);
      }
      for (const at of [...moments].sort((a, b) => a - b)) {
        const incoming = shifts.find((s) => s.start === at) ?? null;
        const outgoing = shifts.find((s) => s.end === at) ?? null;
        if (incoming && outgoing && incoming.userId === outgoing.userId) continue;
        const claim = await this.db
          .insertInto('oncall_handoffs')
          .values({ schedule_id: id, at, incoming_user_id: incoming?.userId ?? null, outgoing_user_id: outgoing?.userId ?? null, notified_at: now })
          .onConflict((oc) => oc.columns(['schedule_id', 'at']).doNothing())
          .executeTakeFirst();
        if (Number(claim.numInsertedOrUpdatedRows ?? 0) === 0) continue;
        await this.announce(id, spec.timeZone, incoming, outgoing);
        announced++;
      }
    }
    return announced;
  }

  private async announce(scheduleId: string, zone: string, incoming: { userId: string; end: number } | null, outgoing: { userId: string } | null): Promise<void> {
    const ids = [incoming?.userId, outgoing?.userId].filter((x): x is string => !!x);
    const people = await this.db.selectFrom('users').select(['id', 'email', 'name']).where('id', 'in', ids).where('disabled', '=', 0).execute();
    const who = (id: string | undefined): Recipient | undefined => people.find((p) => p.id === id);
    const { name } = await this.db.selectFrom('oncall_schedules').select('name').where('id', '=', scheduleId).executeTakeFirstOrThrow();
    const until = incoming ? DateTime.fromMillis(incoming.end, { zone }).toFormat("ccc d LLL HH:mm '('z')'") : null;
    const inUser = who(incoming?.userId);
    const outUser = who(outgoing?.userId);
    if (inUser) {
      const from = outUser ? ` from ${outUser.name}` : '';
      await this.notifier.notice([inUser], { subject: `You are on call now: ${name}${from}`, text: `Your ${name} shift has started${from}.\nUntil: ${until}`, severity: 'low', alertId: null });
    }
    if (outUser) {
      const to = inUser ? `${inUser.name} has taken over` : 'Nobody is on call after you';
      await this.notifier.notice([outUser], { subject: `Your on-call shift ended: ${name}`, text: `${to} on ${name}.`, severity: 'low', alertId: null });
    }
  }
}
