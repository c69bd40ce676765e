import { Cron } from 'croner';
import type { Selectable } from 'kysely';
import type { MaintenanceWindow, MaintenanceWindowInput } from '../../../shared/api/maintenance';
import { SYSTEM_ACTOR, type Actor } from '../audit/audit-log';
import type { Services } from '../app/services';
import { AppError, notFound } from '../platform/http/errors';
import { uuid } from '../platform/ids';
import type { MaintenanceWindowsTable } from '../jobs/tables';
import type { OpsIntegrations } from './integrations';

/** How often the lifecycle runs `tick()` (with OPS_SCHEDULERS). */
export const MAINTENANCE_TICK_MS = 5000;
/** Operational documentation, Scheduled Maintenance: 48 hours' advance notice. */
export const MAINTENANCE_NOTICE_MS = 48 * 3_600_000;

function toWindow(r: Selectable<MaintenanceWindowsTable>): MaintenanceWindow {
  return {
    id: r.id,
    title: r.title,
    announcement: r.announcement,
    startsAt: Number(r.starts_at),
    endsAt: Number(r.ends_at),
    cron: r.cron,
    timezone: r.timezone,
    services: JSON.parse(r.services) as string[],
    silenceAlerts: r.silence_alerts === 1,
    status: r.status as MaintenanceWindow['status'],
    currentStart: r.current_start === null ? null : Number(r.current_start),
    currentEnd: r.current_end === null ? null : Number(r.current_end),
    silenceIds: JSON.parse(r.silence_ids) as string[],
    silencing: r.silencing,
    noticeSentAt: r.notice_sent_for !== null && r.current_start !== null && Number(r.notice_sent_for) === Number(r.current_start) ? Number(r.notice_sent_at ?? r.created_at) : null,
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

/** The occurrence in progress at `now`, else the next one; null when a one-off window is over. */
export function occurrenceAt(w: { startsAt: number; endsAt: number; cron: string | null; timezone: string }, now: number): { start: number; end: number } | null {
  const duration = w.endsAt - w.startsAt;
  if (!w.cron) return now < w.endsAt ? { start: w.startsAt, end: w.endsAt } : null;
  const from = new Date(Math.max(now - duration, w.startsAt - 1));
  const next = new Cron(w.cron, { paused: true, timezone: w.timezone }).nextRun(from);
  return next ? { start: next.getTime(), end: next.getTime() + duration } : null;
}

/**
 * Scheduled maintenance (the manual: monthly, 2-4 hours, 48 hours' notice): announced when
 * scheduled and when it starts (live event + email), with matching alerts silenced for the window.
 */
export class MaintenanceWindows {
  constructor(
    private readonly ctx: Pick<Services, 'database' | 'clock' | 'changes' | 'audit' | 'events' | 'lifecycle'>,
    private readonly integrations: OpsIntegrations,
  ) {}

  private get db() {
    return this.ctx.database.db;
  }

  async list(): Promise<MaintenanceWindow[]> {
    const rows = await this.db.selectFrom('maintenance_windows').selectAll().orderBy('current_start', 'desc').orderBy('created_at', 'desc').execute();
    return rows.map(toWindow);
  }

  async get(id: string): Promise<MaintenanceWindow> {
    const r = await this.db.selectFrom('maintenance_windows').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('Maintenance window');
    return toWindow(r);
  }

  /** Windows in progress now (for the "alerts silenced" banner and checks). */
  async active(): Promise<MaintenanceWindow[]> {
    return (await this.list()).filter((w) => w.status === 'active');
  }

  async create(actor: Actor, input: MaintenanceWindowInput, knownServices: (name: string) => boolean): Promise<MaintenanceWindow> {
    if (input.cron) {
      try {
        new Cron(input.cron, { paused: true, timezone: input.timezone });
      } catch (e) {
        throw new AppError('validation_failed', `cron: ${(e as Error).message}`, [{ field: 'body.cron', message: (e as Error).message }]);
      }
    }
    const unknown = input.services.filter((s) => !knownServices(s));
    if (unknown.length) throw new AppError('not_found', `Unknown service(s): ${unknown.join(', ')}`);
    const now = this.ctx.clock.now();
    const occ = occurrenceAt({ ...input, cron: input.cron ?? null }, now);
    if (!occ) throw new AppError('unprocessable', 'This window is already over');
    const id = uuid();
    const row = {
      id,
      title: input.title,
      announcement: input.announcement,
      starts_at: input.startsAt,
      ends_at: input.endsAt,
      cron: input.cron ?? null,
      timezone: input.timezone,
      services: JSON.stringify(input.services),
      silence_alerts: input.silenceAlerts ? 1 : 0,
      status: 'scheduled',
      current_start: occ.start,
      current_end: occ.end,
      started_notified_for: null,
      // Scheduled with less than 48 hours to go: the announcement now is the notice.
      notice_sent_for: occ.start - now <= MAINTENANCE_NOTICE_MS ? occ.start : null,
      notice_sent_at: occ.start - now <= MAINTENANCE_NOTICE_MS ? now : null,
      silence_ids: '[]',
      silencing: null,
      created_by: actor.id,
      created_at: now,
      updated_at: now,
    };
    const window = await this.write(actor, id, 'maintenance.create', async (trx) => {
      await trx.insertInto('maintenance_windows').values(row).execute();
    });
    const when = `${new Date(occ.start).toISOString()} – ${new Date(occ.end).toISOString()}`;
    await this.integrations.announce('maintenance.scheduled', `Maintenance scheduled: ${input.title}`, `${input.title}\n${when}${input.cron ? ` (recurring: ${input.cron} ${input.timezone})` : ''}\n\n${input.announcement}`, { window });
    await this.tick();
    return this.get(id);
  }

  async cancel(actor: Actor, id: string): Promise<MaintenanceWindow> {
    const w = await this.get(id);
    if (w.status === 'cancelled' || w.status === 'completed') throw new AppError('conflict', `Window is already ${w.status}`);
    await this.unsilence(w);
    const out = await this.write(actor, id, 'maintenance.cancel', async (trx) => {
      await trx.updateTable('maintenance_windows').set({ status: 'cancelled', updated_at: this.ctx.clock.now() }).where('id', '=', id).execute();
    });
    await this.integrations.announce('maintenance.cancelled', `Maintenance cancelled: ${w.title}`, `${w.title} will not take place.`, { window: out });
    return out;
  }

  private async write(actor: Actor, id: string, action: string, fn: (trx: typeof this.db) => Promise<void>): Promise<MaintenanceWindow> {
    const { window, seq } = await this.db.transaction().execute(async (trx) => {
      await fn(trx);
      const window = toWindow((await trx.selectFrom('maintenance_windows').selectAll().where('id', '=', id).executeTakeFirstOrThrow()) as Selectable<MaintenanceWindowsTable>);
      const seq = await this.ctx.changes.record(trx, { entity: 'maintenance', id, op: 'upsert', audience: { kind: 'all' }, data: window, actorId: actor.id });
      await this.ctx.audit.record(actor, { action, targetType: 'maintenance', targetId: id, details: { title: window.title, status: window.status } }, trx);
      return { window, seq };
    });
    this.ctx.events.publish({ type: 'maintenance.updated', seq, actor: actor.id ? { id: actor.id, email: actor.email } : null, data: window, at: this.ctx.clock.now() }, { kind: 'all' });
    return window;
  }

  /** Starts windows whose time has come, ends finished ones, rolls recurring windows forward. */
  async tick(): Promise<void> {
    const now = this.ctx.clock.now();
    const rows = await this.db.selectFrom('maintenance_windows').selectAll().where('status', 'in', ['scheduled', 'active']).execute();
    for (const r of rows) {
      const w = toWindow(r);
      if (w.currentStart === null || w.currentEnd === null) continue;
      if (now >= w.currentEnd) {
        await this.unsilence(w);
        const next = w.cron ? occurrenceAt(w, now) : null;
        await this.write(SYSTEM_ACTOR, w.id, 'maintenance.end', async (trx) => {
          await trx
            .updateTable('maintenance_windows')
            .set(next ? { status: 'scheduled', current_start: next.start, current_end: next.end, silence_ids: '[]', updated_at: now } : { status: 'completed', silence_ids: '[]', updated_at: now })
            .where('id', '=', w.id)
            .execute();
        });
        await this.integrations.announce('maintenance.ended', `Maintenance finished: ${w.title}`, `${w.title} has ended.`, { windowId: w.id });
        continue;
      }
      if (now < w.currentStart && now >= w.currentStart - MAINTENANCE_NOTICE_MS && Number(r.notice_sent_for) !== w.currentStart) {
        await this.sendNotice(w, now);
        continue;
      }
      if (now >= w.currentStart && r.started_notified_for !== w.currentStart) {
        const { ids, problem } = await this.silence(w);
        const window = await this.write(SYSTEM_ACTOR, w.id, 'maintenance.start', async (trx) => {
          await trx
            .updateTable('maintenance_windows')
            .set({ status: 'active', started_notified_for: w.currentStart, silence_ids: JSON.stringify(ids), silencing: problem, updated_at: now })
            .where('id', '=', w.id)
            .execute();
        });
        await this.integrations.announce('maintenance.started', `Maintenance started: ${w.title}`, `${w.title} is in progress until ${new Date(w.currentEnd).toISOString()}.\n\n${w.announcement}`, { window });
      }
    }
  }

  /** The 48-hour notice of the coming occurrence, once (the claim is written before the announcement). */
  private async sendNotice(w: MaintenanceWindow, now: number): Promise<void> {
    const claimed = await this.db.updateTable('maintenance_windows').set({ notice_sent_for: w.currentStart, notice_sent_at: now }).where('id', '=', w.id).where((eb) => eb.or([eb('notice_sent_for', 'is', null), eb('notice_sent_for', '!=', w.currentStart)])).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return;
    const window = await this.write(SYSTEM_ACTOR, w.id, 'maintenance.notice', async () => undefined);
    const hours = Math.round((w.currentStart! - now) / 3_600_000);
    await this.integrations.announce('maintenance.notice', `Maintenance in ${hours} hours: ${w.title}`, `${w.title}\n${new Date(w.currentStart!).toISOString()} – ${new Date(w.currentEnd!).toISOString()}\n\n${w.announcement}`, { window });
  }

  /** Silences alerts of the services in scope (all alerts when no service is named) until the window ends. */
  async silence(w: MaintenanceWindow): Promise<{ ids: string[]; problem: string | null }> {
    if (!w.silenceAlerts) return { ids: [], problem: null };
    const matchers = w.services.length
      ? [{ name: 'service', value: w.services.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), isRegex: true, isEqual: true }]
      : [{ name: 'alertname', value: '.+', isRegex: true, isEqual: true }];
    try {
      const s = await this.integrations.silences.create(SYSTEM_ACTOR, { matchers, startsAt: w.currentStart ?? undefined, endsAt: w.currentEnd!, comment: `Maintenance window: ${w.title} (${w.id})` });
      return { ids: [s.id], problem: null };
    } catch (e) {
      return { ids: [], problem: `alerts not silenced: ${(e as Error).message}` };
    }
  }

  async unsilence(w: { silenceIds: string[] }): Promise<void> {
    // A silence that cannot be expired ends by itself at the window's end.
    for (const id of w.silenceIds) await this.integrations.silences.expire(SYSTEM_ACTOR, id).catch(this.ctx.lifecycle.reporter('maintenance.unsilence'));
  }
}
