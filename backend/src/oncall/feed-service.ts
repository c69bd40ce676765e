import { createHash } from 'node:crypto';
import ical from 'ical-generator';
import type { Kysely } from 'kysely';
import type { CreatedFeed, Feed, FeedInput, Shift } from '../../../shared/api/oncall';
import type { Role } from '../../../shared/domain/roles';
import type { Actor, AuditLog } from '../audit/audit-log';
import type { Database } from '../platform/db/schema';
import type { Clock } from '../platform/clock';
import { AppError, forbidden, notFound } from '../platform/http/errors';
import { randomSecret, uuid } from '../platform/ids';
import type { ScheduleService } from './schedule-service';

const DAY = 86_400_000;
/** What a feed covers: the last two weeks (so a calendar keeps recent shifts) and the next 90 days. */
const PAST_DAYS = 14;
const AHEAD_DAYS = 90;

type FeedRow = Database['oncall_feeds'];
const hash = (token: string) => createHash('sha256').update(token).digest('hex');
const toFeed = (r: FeedRow): Feed => ({ id: r.id, scheduleId: r.schedule_id, userId: r.user_id, createdBy: r.created_by, createdAt: Number(r.created_at), lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at) });

export interface FeedOwner extends Actor {
  id: string;
  role: Role;
}

/**
 * iCalendar (RFC 5545) feeds of the final layer, per schedule or per user, at a secret address.
 * The token is random, shown once, stored as a SHA-256 hash and revocable; anyone holding it can
 * read that one feed without signing in (calendar apps cannot sign in), nothing else.
 */
export class FeedService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly schedules: ScheduleService,
  ) {}

  /** `origin`: the scheme and host the caller reached the API at, for the feed's whole address. */
  async create(actor: FeedOwner, input: FeedInput, origin: string): Promise<CreatedFeed> {
    const scheduleId = 'scheduleId' in input ? input.scheduleId : null;
    const userId = 'userId' in input ? input.userId : null;
    if (scheduleId) await this.schedules.get(scheduleId);
    if (userId && userId !== actor.id && actor.role !== 'admin') throw forbidden("only an admin may publish another user's shifts");
    if (userId && !(await this.db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst())) throw notFound('User');
    const token = randomSecret(24);
    const row: FeedRow = { id: uuid(), token_hash: hash(token), schedule_id: scheduleId, user_id: userId, created_by: actor.id, created_at: this.clock.now(), last_used_at: null, revoked_at: null };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('oncall_feeds').values(row).execute();
      await this.audit.record(actor, { action: 'oncall_feed.created', targetType: scheduleId ? 'schedule' : 'user', targetId: scheduleId ?? userId!, details: { feedId: row.id } }, trx);
    });
    const path = `/oncall/feeds/${token}.ics`;
    return { ...toFeed(row), path, url: `${origin}/api/v1${path}` };
  }

  /** The caller's feeds; an admin sees every feed. */
  async list(actor: FeedOwner): Promise<Feed[]> {
    let q = this.db.selectFrom('oncall_feeds').selectAll().where('revoked_at', 'is', null);
    if (actor.role !== 'admin') q = q.where('created_by', '=', actor.id);
    return (await q.orderBy('created_at', 'desc').execute()).map(toFeed);
  }

  async revoke(actor: FeedOwner, id: string): Promise<void> {
    const row = await this.db.selectFrom('oncall_feeds').selectAll().where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    if (!row) throw notFound('Feed');
    if (row.created_by !== actor.id && actor.role !== 'admin') throw forbidden('only its creator or an admin may revoke a feed');
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('oncall_feeds').set({ revoked_at: this.clock.now() }).where('id', '=', id).execute();
      await this.audit.record(actor, { action: 'oncall_feed.revoked', targetType: 'oncall_feed', targetId: id }, trx);
    });
  }

  /** The calendar text for a feed token; an unknown or revoked token is a 404 (it says nothing about which). */
  async render(token: string): Promise<string> {
    const row = await this.db.selectFrom('oncall_feeds').selectAll().where('token_hash', '=', hash(token)).where('revoked_at', 'is', null).executeTakeFirst();
    if (!row) throw new AppError('not_found', 'No such feed');
    const now = this.clock.now();
    await this.db.updateTable('oncall_feeds').set({ last_used_at: now }).where('id', '=', row.id).execute();
    const from = now - PAST_DAYS * DAY;
    const to = now + AHEAD_DAYS * DAY;
    if (row.schedule_id) {
      const s = await this.schedules.get(row.schedule_id);
      const shifts = (await this.schedules.shifts(s.id, from, to)).final;
      return this.calendar(`On call: ${s.name}`, s.timeZone, await this.events(shifts, s.id, () => s.name, true));
    }
    const user = await this.db.selectFrom('users').select(['id', 'name']).where('id', '=', row.user_id!).executeTakeFirst();
    if (!user) throw new AppError('not_found', 'No such feed');
    const events: CalendarEvent[] = [];
    for (const s of await this.schedules.list()) {
      const mine = (await this.schedules.shifts(s.id, from, to)).final.filter((sh) => sh.userId === user.id);
      events.push(...(await this.events(mine, s.id, () => s.name, false)));
    }
    return this.calendar(`On call: ${user.name}`, 'UTC', events);
  }

  private async events(shifts: Shift[], scheduleId: string, scheduleName: () => string, withName: boolean): Promise<CalendarEvent[]> {
    const ids = [...new Set(shifts.map((s) => s.userId))];
    const users = ids.length ? await this.db.selectFrom('users').select(['id', 'email']).where('id', 'in', ids).execute() : [];
    const email = new Map(users.map((u) => [u.id, u.email]));
    return shifts.map((sh) => ({
      // Stable per shift, so a calendar app updates an event instead of duplicating it.
      uid: `${scheduleId}-${sh.userId}-${sh.start}@opsdesk`,
      start: sh.start,
      end: sh.end,
      summary: withName ? `On call: ${sh.userName}` : `On call: ${scheduleName()}`,
      description: `${scheduleName()}${sh.layer === 'override' ? ' (override)' : ` (layer ${sh.layer})`}`,
      attendee: { name: sh.userName, email: email.get(sh.userId) ?? `${sh.userId}@invalid` },
    }));
  }

  private calendar(name: string, timeZone: string, events: CalendarEvent[]): string {
    const cal = ical({ name, prodId: { company: 'OpsDesk', product: 'on-call', language: 'EN' }, ttl: 3600 });
    cal.x([{ key: 'X-WR-TIMEZONE', value: timeZone }]);
    const stamp = new Date(this.clock.now());
    for (const e of events) cal.createEvent({ id: e.uid, start: new Date(e.start), end: new Date(e.end), stamp, summary: e.summary, description: e.description, attendees: [e.attendee] });
    return cal.toString();
  }
}

interface CalendarEvent {
  uid: string;
  start: number;
  end: number;
  summary: string;
  description: string;
  attendee: { name: string; email: string };
}
