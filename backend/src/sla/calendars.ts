import type { Kysely } from 'kysely';
import { calendarRules, type BusinessCalendar, type BusinessHours, type CalendarInput, type QueueCalendar } from '../../../shared/api/calendars';
import type { Queue } from '../../../shared/api/queues';
import { ALWAYS, businessTime, validTimeZone, type BusinessTime } from '../../../shared/domain/business-hours';
import type { Actor, AuditLog } from '../audit/audit-log';
import type { Database } from '../platform/db/schema';
import { AppError, notFound } from '../platform/http/errors';
import type { Clock } from '../platform/clock';
import { uuid } from '../platform/ids';
import type { SlaRecompute } from './sla-recompute';
import type { BusinessCalendarsTable } from './tables';

/** How a calendar write tells the queues that follow it (QueueService.republish). */
export interface QueueAnnouncer {
  republish(actor: Actor, queueIds: string[], write: (trx: Kysely<Database>) => Promise<void>): Promise<Queue[]>;
}

const toQueueCalendar = (r: BusinessCalendarsTable): QueueCalendar => ({
  id: r.id,
  name: r.name,
  timeZone: r.time_zone,
  hours: JSON.parse(r.windows) as BusinessHours[],
  holidays: JSON.parse(r.holidays) as string[],
});

const compile = (c: Pick<CalendarInput, 'timeZone' | 'hours' | 'holidays'>): BusinessTime => businessTime(calendarRules(c));

/** The calendars of these queues, for their queue records (QueueService reads it; no service cycle). */
export async function queueCalendars(trx: Kysely<Database>, queueIds: string[]): Promise<Map<string, QueueCalendar>> {
  if (!queueIds.length) return new Map();
  const rows = await trx
    .selectFrom('queue_sla_calendars')
    .innerJoin('business_calendars', 'business_calendars.id', 'queue_sla_calendars.calendar_id')
    .selectAll('business_calendars')
    .select('queue_sla_calendars.queue_id')
    .where('queue_sla_calendars.queue_id', 'in', queueIds)
    .execute();
  return new Map(rows.map((r) => [r.queue_id, toQueueCalendar(r)]));
}

/**
 * Business-hours calendars (admins manage them) and the one a queue's SLA follows. A change is
 * announced as the queue records of the queues that follow it, so desktops count business time
 * with the same calendar the server computed the deadlines with. After the change commits, the
 * running deadlines of those queues' tickets are re-laid on the new hours (SlaRecompute).
 */
export class CalendarService {
  /** Compiled calendars by id and version (updated_at). */
  private readonly compiled = new Map<string, { at: number; time: BusinessTime }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly queues: QueueAnnouncer,
    private readonly recompute: Pick<SlaRecompute, 'start'>,
  ) {}

  async list(): Promise<BusinessCalendar[]> {
    const rows = await this.db.selectFrom('business_calendars').selectAll().orderBy('name').execute();
    const links = await this.db.selectFrom('queue_sla_calendars').select(['queue_id', 'calendar_id']).orderBy('queue_id').execute();
    return rows.map((r) => ({ ...toQueueCalendar(r), queueIds: links.filter((l) => l.calendar_id === r.id).map((l) => l.queue_id), updatedAt: r.updated_at }));
  }

  async get(id: string): Promise<BusinessCalendar> {
    const found = (await this.list()).find((c) => c.id === id);
    if (!found) throw notFound('Calendar');
    return found;
  }

  async create(actor: Actor, input: CalendarInput): Promise<BusinessCalendar> {
    const row = this.toRow(uuid(), input, actor);
    await this.db.transaction().execute(async (trx) => {
      await this.assertNameFree(trx, input.name, null);
      await trx.insertInto('business_calendars').values({ ...row, created_at: row.updated_at }).execute();
      await this.audit.record(actor, { action: 'sla.calendar_created', targetType: 'calendar', targetId: row.id, details: { name: input.name, timeZone: input.timeZone } }, trx);
    });
    return this.get(row.id);
  }

  async update(actor: Actor, id: string, input: CalendarInput): Promise<BusinessCalendar> {
    const before = await this.get(id);
    const row = this.toRow(id, input, actor);
    await this.queues.republish(actor, before.queueIds, async (trx) => {
      await this.assertNameFree(trx, input.name, id);
      await trx.updateTable('business_calendars').set(row).where('id', '=', id).execute();
      await this.audit.record(actor, { action: 'sla.calendar_updated', targetType: 'calendar', targetId: id, details: { name: input.name, timeZone: input.timeZone, windows: input.hours.length, holidays: input.holidays.length } }, trx);
    });
    if (before.queueIds.length) this.recompute.start(actor, { kind: 'calendar', calendarId: id, queueIds: before.queueIds, from: compile(before), to: compile(input) });
    return this.get(id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const cal = await this.get(id);
    if (cal.queueIds.length) throw new AppError('conflict', `${cal.name} is used by ${cal.queueIds.length} queue(s); attach another calendar to them first`, { queueIds: cal.queueIds });
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('business_calendars').where('id', '=', id).execute();
      await this.audit.record(actor, { action: 'sla.calendar_deleted', targetType: 'calendar', targetId: id, details: { name: cal.name } }, trx);
    });
  }

  /** Attaches a calendar to a queue's SLA, or detaches it (null: around the clock). */
  async setQueueCalendar(actor: Actor, queueId: string, calendarId: string | null): Promise<Queue> {
    if (calendarId !== null) await this.get(calendarId);
    const exists = await this.db.selectFrom('queues').select('id').where('id', '=', queueId).executeTakeFirst();
    if (!exists) throw notFound('Queue');
    const from = await this.timeFor(queueId);
    const [queue] = await this.queues.republish(actor, [queueId], async (trx) => {
      await trx.deleteFrom('queue_sla_calendars').where('queue_id', '=', queueId).execute();
      if (calendarId !== null) await trx.insertInto('queue_sla_calendars').values({ queue_id: queueId, calendar_id: calendarId, updated_at: this.clock.now() }).execute();
      await this.audit.record(actor, { action: 'sla.queue_calendar_set', targetType: 'queue', targetId: queueId, details: { calendarId } }, trx);
    });
    this.recompute.start(actor, { kind: 'queue_calendar', queueId, calendarId, from, to: await this.timeFor(queueId) });
    return queue!;
  }

  /** How a queue's SLA clocks run now. */
  async timeFor(queueId: string, trx: Kysely<Database> = this.db): Promise<BusinessTime> {
    const row = await trx
      .selectFrom('queue_sla_calendars')
      .innerJoin('business_calendars', 'business_calendars.id', 'queue_sla_calendars.calendar_id')
      .selectAll('business_calendars')
      .where('queue_sla_calendars.queue_id', '=', queueId)
      .executeTakeFirst();
    if (!row) return ALWAYS;
    const hit = this.compiled.get(row.id);
    if (hit && hit.at === Number(row.updated_at)) return hit.time;
    const time = compile(toQueueCalendar(row));
    this.compiled.set(row.id, { at: Number(row.updated_at), time });
    return time;
  }

  private toRow(id: string, input: CalendarInput, actor: Actor) {
    if (!validTimeZone(input.timeZone)) throw new AppError('unprocessable', `Unknown time zone ${input.timeZone}`, { field: 'timeZone' });
    const hours = [...input.hours].sort((a, b) => a.day - b.day || a.start.localeCompare(b.start));
    for (let i = 1; i < hours.length; i++) {
      const [a, b] = [hours[i - 1]!, hours[i]!];
      if (a.day === b.day && b.start < a.end) throw new AppError('unprocessable', `Windows overlap on day ${a.day}: ${a.start}–${a.end} and ${b.start}–${b.end}`, { field: 'hours' });
    }
    return { id, name: input.name, time_zone: input.timeZone, windows: JSON.stringify(hours), holidays: JSON.stringify([...new Set(input.holidays)].sort()), updated_at: this.clock.now(), updated_by: actor.id };
  }

  private async assertNameFree(trx: Kysely<Database>, name: string, except: string | null): Promise<void> {
    let q = trx.selectFrom('business_calendars').select('id').where('name', '=', name);
    if (except) q = q.where('id', '!=', except);
    if (await q.executeTakeFirst()) throw new AppError('conflict', `A calendar named ${name} exists`, { field: 'name' });
  }
}
