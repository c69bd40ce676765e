import type { Kysely } from 'kysely';
import type { ImportResult, OnCallNow, Override, OverrideInput, Rotation, RotationInput, Schedule, ScheduleInput, ScheduleShifts, ScheduleSummary, Shift } from '../../../shared/api/oncall';
import type { Actor, AuditLog } from '../audit/audit-log';
import { parseJson } from '../alerts/labels';
import type { Database } from '../platform/db/schema';
import type { Clock } from '../platform/clock';
import { AppError, notFound } from '../platform/http/errors';
import { uuid } from '../platform/ids';
import { parseShiftsIcs } from './ical-import';
import { finalShifts, isValidTimeZone, layerShifts, nextShifts, onCallAt, type RotationKind, type ScheduleSpec, type Shift as RawShift } from './rota';

type RotationRow = Database['oncall_rotations'];
type OverrideRow = Database['oncall_overrides'];

export function toRotation(r: RotationRow): Rotation {
  return {
    id: r.id,
    scheduleId: r.schedule_id,
    name: r.name,
    layer: Number(r.layer),
    kind: r.kind as RotationKind,
    shiftMinutes: r.shift_minutes === null ? null : Number(r.shift_minutes),
    handoffTime: r.handoff_time,
    startDate: r.start_date,
    participants: parseJson<string[]>(r.participants, []),
    endsAt: r.ends_at === null ? null : Number(r.ends_at),
    activeHours: r.active_from && r.active_to ? { from: r.active_from, to: r.active_to } : null,
    updatedAt: Number(r.updated_at),
  };
}

function toOverride(o: OverrideRow): Override {
  return { id: o.id, scheduleId: o.schedule_id, userId: o.user_id, coversUserId: o.covers_user_id, startsAt: Number(o.starts_at), endsAt: Number(o.ends_at), note: o.note, createdBy: o.created_by, createdAt: Number(o.created_at) };
}

/** Schedules, their rotations and overrides; who is on call is computed from them by `rota.ts`. */
export class ScheduleService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  /** Bumped by every write of this process, so callers can cache who is on call until something changes. */
  revision = 0;

  private async write(work: (trx: Kysely<Database>) => Promise<void>): Promise<void> {
    await this.db.transaction().execute(work);
    this.revision++;
  }

  private async checkUsers(ids: string[]): Promise<void> {
    const unique = [...new Set(ids)];
    if (!unique.length) return;
    const found = await this.db.selectFrom('users').select('id').where('id', 'in', unique).where('disabled', '=', 0).execute();
    const missing = unique.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) throw new AppError('unprocessable', `unknown or disabled user: ${missing.join(', ')}`);
  }

  private async scheduleRow(id: string) {
    const row = await this.db.selectFrom('oncall_schedules').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Schedule');
    return row;
  }

  async list(): Promise<ScheduleSummary[]> {
    const rows = await this.db.selectFrom('oncall_schedules').selectAll().orderBy('name').execute();
    const out: ScheduleSummary[] = [];
    for (const r of rows) out.push({ id: r.id, name: r.name, timeZone: r.time_zone, description: r.description, updatedAt: Number(r.updated_at), onCall: await this.now(r.id) });
    return out;
  }

  async get(id: string): Promise<Schedule> {
    const r = await this.scheduleRow(id);
    const [rotations, overrides] = await Promise.all([
      this.db.selectFrom('oncall_rotations').selectAll().where('schedule_id', '=', id).orderBy('position').execute(),
      this.db.selectFrom('oncall_overrides').selectAll().where('schedule_id', '=', id).where('ends_at', '>', this.clock.now()).orderBy('starts_at').execute(),
    ]);
    return { id: r.id, name: r.name, timeZone: r.time_zone, description: r.description, rotations: rotations.map(toRotation), overrides: overrides.map(toOverride), createdAt: Number(r.created_at), updatedAt: Number(r.updated_at) };
  }

  private checkZone(zone: string): void {
    if (!isValidTimeZone(zone)) throw new AppError('unprocessable', `"${zone}" is not a time zone (use an IANA name such as Europe/Berlin)`);
  }

  private async uniqueName(name: string, except?: string): Promise<void> {
    const other = await this.db.selectFrom('oncall_schedules').select('id').where('name', '=', name).executeTakeFirst();
    if (other && other.id !== except) throw new AppError('conflict', `a schedule named "${name}" exists`);
  }

  async create(actor: Actor, input: ScheduleInput): Promise<Schedule> {
    this.checkZone(input.timeZone);
    await this.uniqueName(input.name);
    const now = this.clock.now();
    const id = uuid();
    await this.write(async (trx) => {
      await trx.insertInto('oncall_schedules').values({ id, name: input.name, time_zone: input.timeZone, description: input.description, created_at: now, updated_at: now }).execute();
      await this.audit.record(actor, { action: 'schedule.created', targetType: 'schedule', targetId: id, details: { ...input } }, trx);
    });
    return this.get(id);
  }

  async update(actor: Actor, id: string, patch: Partial<ScheduleInput>): Promise<Schedule> {
    await this.scheduleRow(id);
    if (patch.timeZone) this.checkZone(patch.timeZone);
    if (patch.name) await this.uniqueName(patch.name, id);
    await this.write(async (trx) => {
      await trx
        .updateTable('oncall_schedules')
        .set({ ...(patch.name && { name: patch.name }), ...(patch.timeZone && { time_zone: patch.timeZone }), ...(patch.description !== undefined && { description: patch.description }), updated_at: this.clock.now() })
        .where('id', '=', id)
        .execute();
      await this.audit.record(actor, { action: 'schedule.updated', targetType: 'schedule', targetId: id, details: patch }, trx);
    });
    return this.get(id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.scheduleRow(id);
    await this.write(async (trx) => {
      // Cascades are not enforced on SQLite connections without the foreign-keys pragma: delete the parts explicitly.
      for (const t of ['oncall_rotations', 'oncall_overrides', 'oncall_imported_shifts', 'oncall_feeds', 'oncall_handoffs'] as const) await trx.deleteFrom(t).where('schedule_id', '=', id).execute();
      await trx.deleteFrom('oncall_schedules').where('id', '=', id).execute();
      await this.audit.record(actor, { action: 'schedule.deleted', targetType: 'schedule', targetId: id }, trx);
    });
  }

  private rotationValues(input: RotationInput) {
    return {
      name: input.name,
      layer: input.layer,
      kind: input.kind,
      shift_minutes: input.kind === 'custom' ? input.shiftMinutes : null,
      handoff_time: input.handoffTime,
      start_date: input.startDate,
      participants: JSON.stringify(input.participants),
      ends_at: input.endsAt,
      active_from: input.activeHours?.from ?? null,
      active_to: input.activeHours?.to ?? null,
      updated_at: this.clock.now(),
    };
  }

  async addRotation(actor: Actor, scheduleId: string, input: RotationInput): Promise<Rotation> {
    await this.scheduleRow(scheduleId);
    await this.checkUsers(input.participants);
    const id = uuid();
    const last = await this.db.selectFrom('oncall_rotations').select((eb) => eb.fn.max('position').as('p')).where('schedule_id', '=', scheduleId).executeTakeFirst();
    await this.write(async (trx) => {
      await trx.insertInto('oncall_rotations').values({ id, schedule_id: scheduleId, position: Number(last?.p ?? 0) + 1, ...this.rotationValues(input) }).execute();
      await this.audit.record(actor, { action: 'rotation.created', targetType: 'schedule', targetId: scheduleId, details: { rotationId: id, ...input } }, trx);
    });
    return this.rotation(id);
  }

  async rotation(id: string): Promise<Rotation> {
    const row = await this.db.selectFrom('oncall_rotations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Rotation');
    return toRotation(row);
  }

  async updateRotation(actor: Actor, id: string, input: RotationInput): Promise<Rotation> {
    const current = await this.rotation(id);
    await this.checkUsers(input.participants);
    await this.write(async (trx) => {
      await trx.updateTable('oncall_rotations').set(this.rotationValues(input)).where('id', '=', id).execute();
      await this.audit.record(actor, { action: 'rotation.updated', targetType: 'schedule', targetId: current.scheduleId, details: { rotationId: id, ...input } }, trx);
    });
    return this.rotation(id);
  }

  async removeRotation(actor: Actor, id: string): Promise<void> {
    const current = await this.rotation(id);
    await this.write(async (trx) => {
      await trx.deleteFrom('oncall_rotations').where('id', '=', id).execute();
      await this.audit.record(actor, { action: 'rotation.deleted', targetType: 'schedule', targetId: current.scheduleId, details: { rotationId: id } }, trx);
    });
  }

  async addOverride(actor: Actor, scheduleId: string, input: OverrideInput): Promise<Override> {
    await this.scheduleRow(scheduleId);
    await this.checkUsers([input.userId, ...(input.coversUserId ? [input.coversUserId] : [])]);
    const row: OverrideRow = { id: uuid(), schedule_id: scheduleId, user_id: input.userId, covers_user_id: input.coversUserId, starts_at: input.startsAt, ends_at: input.endsAt, note: input.note, created_by: actor.id, created_at: this.clock.now() };
    await this.write(async (trx) => {
      await trx.insertInto('oncall_overrides').values(row).execute();
      await this.audit.record(actor, { action: 'override.created', targetType: 'schedule', targetId: scheduleId, details: { overrideId: row.id, ...input } }, trx);
    });
    return toOverride(row);
  }

  async updateOverride(actor: Actor, id: string, input: OverrideInput): Promise<Override> {
    const row = await this.db.selectFrom('oncall_overrides').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Override');
    await this.checkUsers([input.userId, ...(input.coversUserId ? [input.coversUserId] : [])]);
    const set = { user_id: input.userId, covers_user_id: input.coversUserId, starts_at: input.startsAt, ends_at: input.endsAt, note: input.note };
    await this.write(async (trx) => {
      await trx.updateTable('oncall_overrides').set(set).where('id', '=', id).execute();
      await this.audit.record(actor, { action: 'override.updated', targetType: 'schedule', targetId: row.schedule_id, details: { overrideId: id, ...input } }, trx);
    });
    return toOverride({ ...row, ...set });
  }

  async removeOverride(actor: Actor, id: string): Promise<void> {
    const row = await this.db.selectFrom('oncall_overrides').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Override');
    await this.write(async (trx) => {
      await trx.deleteFrom('oncall_overrides').where('id', '=', id).execute();
      await this.audit.record(actor, { action: 'override.deleted', targetType: 'schedule', targetId: row.schedule_id, details: { overrideId: id } }, trx);
    });
  }

  /**
   * Imports an exported calendar's shifts as overrides or as fixed shifts of a layer. Importing
   * the same file again replaces the shifts it brought before (matched by event UID).
   */
  async importIcs(actor: Actor, scheduleId: string, req: { ics: string; as: 'overrides' | 'layer'; layer: number }): Promise<ImportResult> {
    await this.scheduleRow(scheduleId);
    const users = await this.db.selectFrom('users').select(['id', 'email', 'name']).where('disabled', '=', 0).execute();
    const parsed = parseShiftsIcs(req.ics, users, this.clock.now());
    if (parsed.shifts.length === 0) {
      const why = parsed.skipped.slice(0, 5).map((x) => `${x.uid}: ${x.reason}`).join('; ');
      throw new AppError('unprocessable', `no event could be imported (${why})`, { skipped: parsed.skipped });
    }
    const now = this.clock.now();
    const notes = parsed.shifts.map((x) => `imported ${x.uid}`.slice(0, 500));
    await this.write(async (trx) => {
      if (req.as === 'layer') {
        await trx.deleteFrom('oncall_imported_shifts').where('schedule_id', '=', scheduleId).where('source_uid', 'in', parsed.shifts.map((x) => x.uid)).execute();
        await trx
          .insertInto('oncall_imported_shifts')
          .values(parsed.shifts.map((x) => ({ id: uuid(), schedule_id: scheduleId, layer: req.layer, user_id: x.userId, starts_at: x.start, ends_at: x.end, source_uid: x.uid, created_at: now })))
          .execute();
      } else {
        await trx.deleteFrom('oncall_overrides').where('schedule_id', '=', scheduleId).where('note', 'in', notes).execute();
        await trx
          .insertInto('oncall_overrides')
          .values(parsed.shifts.map((x, i) => ({ id: uuid(), schedule_id: scheduleId, user_id: x.userId, covers_user_id: null, starts_at: x.start, ends_at: x.end, note: notes[i]!, created_by: actor.id, created_at: now })))
          .execute();
      }
      await this.audit.record(actor, { action: 'schedule.imported', targetType: 'schedule', targetId: scheduleId, details: { as: req.as, created: parsed.shifts.length, skipped: parsed.skipped.length } }, trx);
    });
    return { created: parsed.shifts.length, as: req.as, skipped: parsed.skipped };
  }

  /** The schedule's definition for the rota functions (overrides and imported shifts meeting the range only). */
  async spec(scheduleId: string, from = -Infinity, to = Infinity): Promise<ScheduleSpec> {
    const s = await this.scheduleRow(scheduleId);
    const lo = Number.isFinite(from) ? from : 0;
    const hi = Number.isFinite(to) ? to : Number.MAX_SAFE_INTEGER;
    const [rotations, overrides, fixed] = await Promise.all([
      this.db.selectFrom('oncall_rotations').selectAll().where('schedule_id', '=', scheduleId).orderBy('position').execute(),
      this.db.selectFrom('oncall_overrides').selectAll().where('schedule_id', '=', scheduleId).where('ends_at', '>', lo).where('starts_at', '<', hi).orderBy('created_at').execute(),
      this.db.selectFrom('oncall_imported_shifts').selectAll().where('schedule_id', '=', scheduleId).where('ends_at', '>', lo).where('starts_at', '<', hi).execute(),
    ]);
    return {
      timeZone: s.time_zone,
      rotations: rotations.map(toRotation),
      overrides: overrides.map(toOverride),
      fixedShifts: fixed.map((f) => ({ id: f.id, layer: Number(f.layer), userId: f.user_id, start: Number(f.starts_at), end: Number(f.ends_at) })),
    };
  }

  private async named(shifts: RawShift[]): Promise<Shift[]> {
    const ids = [...new Set(shifts.map((s) => s.userId))];
    const users = ids.length ? await this.db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute() : [];
    const name = new Map(users.map((u) => [u.id, u.name]));
    return shifts.map((s) => ({ ...s, userName: name.get(s.userId) ?? 'unknown user' }));
  }

  async shifts(scheduleId: string, from: number, to: number): Promise<ScheduleShifts> {
    const spec = await this.spec(scheduleId, from, to);
    const layers = layerShifts(spec, from, to);
    return {
      scheduleId,
      timeZone: spec.timeZone,
      from,
      to,
      layers: await Promise.all(layers.map(async (l) => ({ layer: l.layer, shifts: await this.named(l.shifts) }))),
      final: await this.named(finalShifts(spec, from, to)),
    };
  }

  /** The final layer around `at`: five weeks either side, enough for the longest rotation to show its whole shift. */
  async now(scheduleId: string, at = this.clock.now()): Promise<OnCallNow> {
    const s = await this.scheduleRow(scheduleId);
    const spec = await this.spec(scheduleId, at - 35 * 86_400_000, at + 60 * 86_400_000);
    const current = onCallAt(spec, at);
    const next = nextShifts(spec, at, 1)[0] ?? null;
    const [c, n] = await this.named([...(current ? [current] : []), ...(next ? [next] : [])]).then((l) => (current ? l : [null, ...l]));
    return { scheduleId, scheduleName: s.name, current: c ?? null, next: n ?? null };
  }

  /** Who is on call now on each schedule (the status bar, the palette, escalation). */
  async nowAll(at = this.clock.now()): Promise<OnCallNow[]> {
    const rows = await this.db.selectFrom('oncall_schedules').select('id').orderBy('name').execute();
    return Promise.all(rows.map((r) => this.now(r.id, at)));
  }

  async scheduleIds(): Promise<string[]> {
    return (await this.db.selectFrom('oncall_schedules').select('id').execute()).map((r) => r.id);
  }
}
