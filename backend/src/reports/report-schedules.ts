import type { Kysely } from 'kysely';
import type { ReportSchedule, ReportScheduleInput, ReportSchedulePatch } from '../../../shared/api/reports';
import type { Actor, AuditLog } from '../audit/audit-log';
import { parseJson } from '../alerts/labels';
import type { Database } from '../platform/db/schema';
import type { Clock } from '../platform/clock';
import { notFound } from '../platform/http/errors';
import { uuid } from '../platform/ids';
import { checkZone } from './report-range';

type Row = Database['report_schedules'];
type Last = Pick<Database['report_deliveries'], 'label' | 'status' | 'claimed_at' | 'sent_at' | 'error'>;

function toSchedule(r: Row, last: Last | undefined): ReportSchedule {
  return {
    id: r.id,
    name: r.name,
    period: r.period as ReportSchedule['period'],
    recipients: parseJson<string[]>(r.recipients, []),
    timeZone: r.time_zone,
    hour: Number(r.hour),
    enabled: Number(r.enabled) === 1,
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    last: last ? { label: last.label, status: last.status as 'sending' | 'sent' | 'failed', at: Number(last.sent_at ?? last.claimed_at), error: last.error } : null,
  };
}

/** The admin-managed report email schedules (`report_schedules`); each shows its latest send. */
export class ReportSchedules {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async list(): Promise<ReportSchedule[]> {
    const rows = await this.db.selectFrom('report_schedules').selectAll().orderBy('name').orderBy('id').execute();
    if (!rows.length) return [];
    const sends = await this.db.selectFrom('report_deliveries').select(['schedule_id', 'period_start', 'label', 'status', 'claimed_at', 'sent_at', 'error']).where('schedule_id', 'in', rows.map((r) => r.id)).execute();
    const last = new Map<string, (typeof sends)[number]>();
    for (const s of sends) if (Number(s.period_start) >= Number(last.get(s.schedule_id)?.period_start ?? -Infinity)) last.set(s.schedule_id, s);
    return rows.map((r) => toSchedule(r, last.get(r.id)));
  }

  async get(id: string): Promise<ReportSchedule> {
    const s = (await this.list()).find((x) => x.id === id);
    if (!s) throw notFound('Report schedule');
    return s;
  }

  async create(actor: Actor, input: ReportScheduleInput): Promise<ReportSchedule> {
    checkZone(input.timeZone);
    const id = uuid();
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('report_schedules').values({ id, name: input.name, period: input.period, recipients: JSON.stringify(input.recipients), time_zone: input.timeZone, hour: input.hour, enabled: input.enabled ? 1 : 0, created_by: actor.id, created_at: now, updated_at: now }).execute();
      await this.audit.record(actor, { action: 'report_schedule.created', targetType: 'report_schedule', targetId: id, details: { ...input } }, trx);
    });
    return this.get(id);
  }

  async update(actor: Actor, id: string, patch: ReportSchedulePatch): Promise<ReportSchedule> {
    await this.get(id);
    if (patch.timeZone !== undefined) checkZone(patch.timeZone);
    const values = {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.period !== undefined && { period: patch.period }),
      ...(patch.recipients !== undefined && { recipients: JSON.stringify(patch.recipients) }),
      ...(patch.timeZone !== undefined && { time_zone: patch.timeZone }),
      ...(patch.hour !== undefined && { hour: patch.hour }),
      ...(patch.enabled !== undefined && { enabled: patch.enabled ? 1 : 0 }),
      updated_at: this.clock.now(),
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('report_schedules').set(values).where('id', '=', id).execute();
      await this.audit.record(actor, { action: 'report_schedule.updated', targetType: 'report_schedule', targetId: id, details: { ...patch } }, trx);
    });
    return this.get(id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.get(id);
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('report_deliveries').where('schedule_id', '=', id).execute();
      await trx.deleteFrom('report_schedules').where('id', '=', id).execute();
      await this.audit.record(actor, { action: 'report_schedule.deleted', targetType: 'report_schedule', targetId: id }, trx);
    });
  }

  /** The enabled schedules, for the mailer's round. */
  enabled(): Promise<Row[]> {
    return this.db.selectFrom('report_schedules').selectAll().where('enabled', '=', 1).execute();
  }
}
