import type { Kysely } from 'kysely';
import { CHANNEL_TYPES, type NotificationPreference, type QuietHours, type Severity } from '../../../shared/api/alerts';
import type { Database } from '../platform/db/schema';
import { AppError } from '../platform/http/errors';
import type { Clock } from '../platform/clock';
import { isValidTimeZone } from '../oncall/rota';
import { DEFAULT_QUIET_HOURS } from './quiet-hours';
import { PromiseCache } from '../platform/promise-cache';

type PreferenceRow = Database['notification_preferences'];
const CACHE_MS = 5000;

/**
 * Each user's channel preferences (on or off, address, lowest severity) and quiet hours. Small
 * tables, read whole and cached for a few seconds so an alert storm does not read them per alert;
 * a write drops the cache.
 */
export class PreferenceStore {
  private readonly prefCache = new PromiseCache<'all', PreferenceRow[]>(CACHE_MS);
  private readonly quietCache = new PromiseCache<'all', Map<string, QuietHours>>(CACHE_MS);

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async preferences(userId: string): Promise<NotificationPreference[]> {
    const rows = await this.db.selectFrom('notification_preferences').selectAll().where('user_id', '=', userId).execute();
    const byChannel = new Map(rows.map((r) => [r.channel, r]));
    return CHANNEL_TYPES.map((channel) => {
      const r = byChannel.get(channel);
      return { channel, enabled: r ? r.enabled === 1 : true, address: r?.address ?? null, minSeverity: (r?.min_severity as Severity) ?? 'low' };
    });
  }

  async setPreferences(userId: string, prefs: NotificationPreference[]): Promise<NotificationPreference[]> {
    for (const p of prefs) {
      if (p.channel === 'sms' && p.address && !/^\+?[0-9 ()-]{5,20}$/.test(p.address)) throw new AppError('unprocessable', 'SMS address must be a phone number');
      if (p.channel === 'email' && p.address && !/^[^@\s]+@[^@\s]+$/.test(p.address)) throw new AppError('unprocessable', 'email address is not valid');
    }
    await this.db.transaction().execute(async (trx) => {
      for (const p of prefs) {
        const values = { user_id: userId, channel: p.channel, enabled: p.enabled ? 1 : 0, address: p.address, min_severity: p.minSeverity };
        await trx
          .insertInto('notification_preferences')
          .values(values)
          .onConflict((oc) => oc.columns(['user_id', 'channel']).doUpdateSet({ enabled: values.enabled, address: values.address, min_severity: values.min_severity }))
          .execute();
      }
    });
    this.prefCache.clear();
    return this.preferences(userId);
  }

  /** Every user's channel preferences (cached). */
  all(): Promise<PreferenceRow[]> {
    return this.prefCache.get('all', () => this.db.selectFrom('notification_preferences').selectAll().execute());
  }

  async quietHours(userId: string): Promise<QuietHours> {
    return (await this.allQuietHours()).get(userId) ?? DEFAULT_QUIET_HOURS;
  }

  /** Every user's quiet hours (cached); users without a row have none. */
  allQuietHours(): Promise<Map<string, QuietHours>> {
    return this.quietCache.get('all', async () => {
      const rows = await this.db.selectFrom('notification_quiet_hours').selectAll().execute();
      return new Map(rows.map((r) => [r.user_id, { enabled: r.enabled === 1, from: r.from_time, to: r.to_time, timeZone: r.time_zone, allowCritical: r.allow_critical === 1 }]));
    });
  }

  async setQuietHours(userId: string, q: QuietHours): Promise<QuietHours> {
    if (!isValidTimeZone(q.timeZone)) throw new AppError('unprocessable', `"${q.timeZone}" is not a time zone (use an IANA name such as Europe/Berlin)`);
    const values = { enabled: q.enabled ? 1 : 0, from_time: q.from, to_time: q.to, time_zone: q.timeZone, allow_critical: q.allowCritical ? 1 : 0, updated_at: this.clock.now() };
    await this.db
      .insertInto('notification_quiet_hours')
      .values({ user_id: userId, ...values })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
      .execute();
    this.quietCache.clear();
    return this.quietHours(userId);
  }
}
