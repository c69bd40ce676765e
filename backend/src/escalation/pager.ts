import type { Kysely } from 'kysely';
import type { EscalationLevel } from '../../../shared/api/alerts';
import type { PagedUser, Policy, PolicyPreview } from '../../../shared/api/escalation';
import type { Database } from '../platform/db/schema';
import type { Clock } from '../platform/clock';
import type { Recipient } from '../notifications/notifier';
import type { ScheduleService } from '../oncall/schedule-service';
import { PromiseCache } from '../platform/promise-cache';

/** How long resolved role members and schedule names are reused: an alert storm does not query per alert. */
const CACHE_MS = 5000;
/** alert_pages rows per insert (4 parameters each, far below either database's limit). */
const CLAIM_CHUNK = 500;

/**
 * Resolves an escalation level to people: the members of its roles, its users, and whoever is on
 * call on its schedules at that moment, each person once with every reason they were chosen. An
 * alert that has an owner pages only the owner. `claim` keeps the record of who was paged, so a
 * level never pages the same person twice.
 */
export class Pager {
  private readonly roleCache = new PromiseCache<string, Recipient[]>(CACHE_MS);
  /** Who is on call per schedule, for the same clock minute and schedule revision (an alert storm asks once). */
  private readonly onCallCache = new PromiseCache<string, { userId: string; scheduleName: string } | null>(CACHE_MS);

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly schedules: Pick<ScheduleService, 'now' | 'revision'>,
  ) {}

  clearCache(): void {
    this.roleCache.clear();
    this.onCallCache.clear();
  }

  private onCall(scheduleId: string, at: number): Promise<{ userId: string; scheduleName: string } | null> {
    const key = `${scheduleId}@${Math.floor(at / 60_000)}#${this.schedules.revision}`;
    return this.onCallCache.get(key, () =>
      this.schedules.now(scheduleId, at).then(
        (now) => (now?.current ? { userId: now.current.userId, scheduleName: now.scheduleName } : null),
        (err: unknown) => {
          // A schedule deleted after the policy named it pages nobody; anything else is a real failure.
          if ((err as { code?: string }).code === 'not_found') return null;
          throw err;
        },
      ),
    );
  }

  private byRolesAndIds(roles: string[], ids: string[]): Promise<Recipient[]> {
    if (roles.length + ids.length === 0) return Promise.resolve([]);
    return this.roleCache.get(JSON.stringify([roles, ids]), () =>
      this.db
        .selectFrom('users')
        .select(['id', 'email', 'name', 'role'])
        .where('disabled', '=', 0)
        .where((eb) => eb.or([...(roles.length ? [eb('role', 'in', roles as never[])] : []), ...(ids.length ? [eb('id', 'in', ids)] : [])]))
        .orderBy('email')
        .execute(),
    );
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
    return (await this.claimMany([{ alertId, pageKey, people }]))[0]!;
  }

  /**
   * `claim` for many pages at once (an alert storm's first pages, a tick's due escalations): one
   * multi-row insert per CLAIM_CHUNK rows. Each answer lists the people of that page not claimed
   * before, by anyone; a person named twice for the same alert and key in one call is claimed once.
   */
  async claimMany(pages: { alertId: string; pageKey: string; people: PagedUser[] }[]): Promise<PagedUser[][]> {
    const key = (alertId: string, pageKey: string, userId: string) => `${alertId}\n${pageKey}\n${userId}`;
    const owner = new Map<string, number>();
    const rows: Database['alert_pages'][] = [];
    const at = this.clock.now();
    pages.forEach((p, i) => {
      for (const person of p.people) {
        const k = key(p.alertId, p.pageKey, person.id);
        if (owner.has(k)) continue;
        owner.set(k, i);
        rows.push({ alert_id: p.alertId, page_key: p.pageKey, user_id: person.id, at });
      }
    });
    const won = new Set<string>();
    for (let i = 0; i < rows.length; i += CLAIM_CHUNK) {
      // RETURNING lists only the rows inserted, i.e. the people not claimed before.
      const inserted = await this.db
        .insertInto('alert_pages')
        .values(rows.slice(i, i + CLAIM_CHUNK))
        .onConflict((oc) => oc.columns(['alert_id', 'page_key', 'user_id']).doNothing())
        .returning(['alert_id', 'page_key', 'user_id'])
        .execute();
      for (const r of inserted) won.add(key(r.alert_id, r.page_key, r.user_id));
    }
    return pages.map((p, i) => p.people.filter((person) => won.has(key(p.alertId, p.pageKey, person.id)) && owner.get(key(p.alertId, p.pageKey, person.id)) === i));
  }

  /** Who each level of a policy would page now ("who would be paged now" in the policy editor). */
  async preview(policy: Policy): Promise<PolicyPreview> {
    const at = this.clock.now();
    const levels = [];
    for (const [index, l] of policy.levels.entries()) levels.push({ index, name: l.name, afterMinutes: l.afterMinutes, users: await this.targets(l, at) });
    return { policyId: policy.id, at, levels };
  }
}
