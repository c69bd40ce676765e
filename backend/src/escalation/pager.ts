import type { Kysely } from 'kysely';
import type { EscalationLevel } from '../../../shared/api/alerts';
import type { PagedUser, Policy, PolicyPreview } from '../../../shared/api/escalation';
import type { Database } from '../platform/db/schema';
import type { Clock } from '../platform/clock';
import type { Recipient } from '../notifications/notifier';
import type { ScheduleService } from '../oncall/schedule-service';

/** How long resolved role members and schedule names are reused: an alert storm does not query per alert. */
const CACHE_MS = 5000;

/**
 * Resolves an escalation level to people: the members of its roles, its users, and whoever is on
 * call on its schedules at that moment, each person once with every reason they were chosen. An
 * alert that has an owner pages only the owner. `claim` keeps the record of who was paged, so a
 * level never pages the same person twice.
 */
export class Pager {
  private roleCache = new Map<string, { at: number; users: Recipient[] }>();
  /** Who is on call per schedule, for the same clock minute and schedule revision (an alert storm asks once). */
  private onCallCache = new Map<string, { at: number; value: { userId: string; scheduleName: string } | null }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly schedules: Pick<ScheduleService, 'now' | 'revision'>,
  ) {}

  clearCache(): void {
    this.roleCache.clear();
    this.onCallCache.clear();
  }

  private async onCall(scheduleId: string, at: number): Promise<{ userId: string; scheduleName: string } | null> {
    const key = `${scheduleId}@${Math.floor(at / 60_000)}#${this.schedules.revision}`;
    const hit = this.onCallCache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
    const now = await this.schedules.now(scheduleId, at).catch((err: unknown) => {
      // A schedule deleted after the policy named it pages nobody; anything else is a real failure.
      if ((err as { code?: string }).code === 'not_found') return null;
      throw err;
    });
    const value = now?.current ? { userId: now.current.userId, scheduleName: now.scheduleName } : null;
    if (this.onCallCache.size > 1000) this.onCallCache.clear();
    this.onCallCache.set(key, { at: Date.now(), value });
    return value;
  }

  private async byRolesAndIds(roles: string[], ids: string[]): Promise<Recipient[]> {
    if (roles.length + ids.length === 0) return [];
    const key = JSON.stringify([roles, ids]);
    const hit = this.roleCache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.users;
    const users = await this.db
      .selectFrom('users')
      .select(['id', 'email', 'name', 'role'])
      .where('disabled', '=', 0)
      .where((eb) => eb.or([...(roles.length ? [eb('role', 'in', roles as never[])] : []), ...(ids.length ? [eb('id', 'in', ids)] : [])]))
      .orderBy('email')
      .execute();
    this.roleCache.set(key, { at: Date.now(), users });
    return users;
  }

  /** The people a level targets at `at`, each once, with why. */
  async targets(level: EscalationLevel, at = this.clock.now()): Promise<PagedUser[]> {
    const out = new Map<string, PagedUser>();
    const add = (u: Recipient, why: string) => {
      const seen = out.get(u.id);
      if (!seen) out.set(u.id, { id: u.id, name: u.name, email: u.email, via: [why] });
      else if (!seen.via.includes(why)) seen.via.push(why);
    };
    const members = (await this.byRolesAndIds(level.roles, level.userIds)) as (Recipient & { role: string })[];
    for (const u of members) {
      if (level.userIds.includes(u.id)) add(u, 'user');
      if (level.roles.includes(u.role as never)) add(u, `role:${u.role}`);
    }
    for (const scheduleId of level.scheduleIds) {
      const now = await this.onCall(scheduleId, at);
      if (!now) continue;
      const [person] = await this.byRolesAndIds([], [now.userId]);
      if (person) add(person, `schedule:${now.scheduleName}`);
    }
    return [...out.values()];
  }

  /** The owner of an alert as a recipient, if still enabled. */
  async owner(ownerId: string): Promise<PagedUser[]> {
    const [u] = await this.byRolesAndIds([], [ownerId]);
    return u ? [{ id: u.id, name: u.name, email: u.email, via: ['owner'] }] : [];
  }

  /**
   * Records that these people are paged under `pageKey` and answers those not paged under it
   * before (a concurrent tick or a second backend claims each person once).
   */
  async claim(alertId: string, pageKey: string, people: PagedUser[]): Promise<PagedUser[]> {
    if (people.length === 0) return [];
    // One statement: RETURNING lists only the rows inserted, i.e. the people not claimed before.
    const inserted = await this.db
      .insertInto('alert_pages')
      .values(people.map((p) => ({ alert_id: alertId, page_key: pageKey, user_id: p.id, at: this.clock.now() })))
      .onConflict((oc) => oc.columns(['alert_id', 'page_key', 'user_id']).doNothing())
      .returning('user_id')
      .execute();
    const ids = new Set(inserted.map((r) => r.user_id));
    return people.filter((p) => ids.has(p.id));
  }

  /** Who each level of a policy would page now ("who would be paged now" in the policy editor). */
  async preview(policy: Policy): Promise<PolicyPreview> {
    const at = this.clock.now();
    const levels = [];
    for (const [index, l] of policy.levels.entries()) levels.push({ index, name: l.name, afterMinutes: l.afterMinutes, users: await this.targets(l, at) });
    return { policyId: policy.id, at, levels };
  }
}
