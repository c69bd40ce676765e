import type { Kysely } from 'kysely';
import type { Alert, EscalationLevel, EscalationPolicy } from '../../../shared/api/alerts';
import type { Actor, AuditLog } from '../audit/audit-log';
import type { AlertService } from '../alerts/alert-service';
import type { Database } from '../platform/db/schema';
import type { Clock } from '../platform/clock';
import type { Notifier, Recipient } from '../notifications/notifier';
import { parseJson } from '../alerts/labels';

/**
 * The manuals' escalation procedure: on-call engineer at once, team lead after 30 min, manager after
 * 60 min, director after 120 min. OpsDesk has no lead/manager/director roles, so those levels target
 * admins until an admin names users for them.
 */
export const DEFAULT_LEVELS: EscalationLevel[] = [
  { name: 'On-call engineer', afterMinutes: 0, roles: ['oncall'], userIds: [] },
  { name: 'Team lead', afterMinutes: 30, roles: ['admin'], userIds: [] },
  { name: 'Manager', afterMinutes: 60, roles: ['admin'], userIds: [] },
  { name: 'Director', afterMinutes: 120, roles: ['admin'], userIds: [] },
];

const TICK_BATCH = 200;

/**
 * Walks unacknowledged, unsilenced alerts up the policy. Level 0 is notified when the alert fires;
 * each later level at its `afterMinutes` since the first notification. Acknowledging or resolving
 * clears `next_escalation_at`, which stops it. Driven by `tick()` on the injected clock.
 */
export class Escalator {
  private readonly inflight = new Set<Promise<unknown>>();
  private cached: EscalationPolicy | null = null;
  private recipientCache = new Map<string, { at: number; users: Recipient[] }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly alerts: AlertService,
    private readonly notifier: Notifier,
    private readonly audit: AuditLog,
    /** Failed notification work started from alert events (logged and counted by the lifecycle). */
    private readonly onError: (err: unknown) => void,
  ) {
    // A new alert is inserted at level 0 with its next step set; only the notifications remain.
    alerts.listeners.fired.push((a) => {
      if (!a.silenced) this.track(this.notifyLevel(a, 0));
    });
    alerts.listeners.updated.push((a, what) => {
      // An alert whose silence ended starts its escalation now.
      if (what === 'unsilenced' && a.status === 'firing') this.track(a.escalationLevel < 0 ? this.escalateTo(a, 0) : this.resume(a));
      if (what === 'silenced' && a.nextEscalationAt !== null) this.track(this.alerts.patch(a.id, { next_escalation_at: null }, 'escalation_paused'));
    });
  }

  /** When a new alert's first escalation step is due, relative to now (null: no later level). */
  async nextEscalationDelay(): Promise<number | null> {
    const { levels } = await this.policy();
    return levels[1] ? (levels[1].afterMinutes - levels[0]!.afterMinutes) * 60_000 : null;
  }

  private track(p: Promise<unknown>): void {
    const q = p.catch(this.onError);
    this.inflight.add(q);
    void q.finally(() => this.inflight.delete(q));
  }

  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
    await this.notifier.idle();
  }

  async policy(): Promise<EscalationPolicy> {
    if (this.cached) return this.cached;
    const row = await this.db.selectFrom('escalation_policies').selectAll().where('id', '=', 'default').executeTakeFirst();
    this.cached = row ? { levels: parseJson(row.levels, DEFAULT_LEVELS), updatedAt: row.updated_at } : { levels: DEFAULT_LEVELS };
    return this.cached;
  }

  async setPolicy(actor: Actor, levels: EscalationLevel[]): Promise<EscalationPolicy> {
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('escalation_policies')
        .values({ id: 'default', levels: JSON.stringify(levels), updated_at: now })
        .onConflict((oc) => oc.column('id').doUpdateSet({ levels: JSON.stringify(levels), updated_at: now }))
        .execute();
      await this.audit.record(actor, { action: 'escalation_policy.updated', targetType: 'escalation_policy', targetId: 'default', details: { levels } }, trx);
    });
    this.cached = null;
    this.recipientCache.clear();
    return { levels, updatedAt: now };
  }

  /** Users a level targets; cached for a few seconds so an alert storm does not query per alert. */
  async recipients(level: EscalationLevel): Promise<Recipient[]> {
    if (level.roles.length + level.userIds.length === 0) return [];
    const key = JSON.stringify([level.roles, level.userIds]);
    const hit = this.recipientCache.get(key);
    if (hit && Date.now() - hit.at < 5000) return hit.users;
    const users = await this.db
      .selectFrom('users')
      .select(['id', 'email', 'name'])
      .where('disabled', '=', 0)
      .where((eb) => eb.or([...(level.roles.length ? [eb('role', 'in', level.roles)] : []), ...(level.userIds.length ? [eb('id', 'in', level.userIds)] : [])]))
      .execute();
    this.recipientCache.set(key, { at: Date.now(), users });
    return users;
  }

  private async notifyLevel(alert: Alert, index: number): Promise<void> {
    const level = (await this.policy()).levels[index];
    if (level) await this.notifier.notify(alert, index, level.name, await this.recipients(level));
  }

  private async escalateTo(alert: Alert, index: number): Promise<void> {
    const { levels } = await this.policy();
    const level = levels[index];
    if (!level) return;
    const current = await this.alerts.row(alert.id);
    if (current.status !== 'firing' || current.silenced === 1) return;
    const next = levels[index + 1];
    const nextAt = next ? this.clock.now() + (next.afterMinutes - level.afterMinutes) * 60_000 : null;
    const updated = await this.alerts.patch(alert.id, { escalation_level: index, next_escalation_at: nextAt }, 'escalated');
    await this.notifier.notify(updated, index, level.name, await this.recipients(level));
  }

  /** An alert silenced mid-escalation picks up where it paused, with the full wait for its next level. */
  private async resume(alert: Alert): Promise<void> {
    const { levels } = await this.policy();
    const cur = levels[alert.escalationLevel];
    const next = levels[alert.escalationLevel + 1];
    if (cur && next) await this.alerts.patch(alert.id, { next_escalation_at: this.clock.now() + (next.afterMinutes - cur.afterMinutes) * 60_000 }, 'escalation_resumed');
  }

  /**
   * Moves due alerts one level up, the longest-waiting first. An alert storm comes due all at once
   * 30 minutes later; at most TICK_BATCH per tick keeps one tick from holding the process, the
   * rest follow on the next ticks.
   */
  async tick(): Promise<number> {
    const due = await this.db
      .selectFrom('alerts')
      .select(['id', 'escalation_level'])
      .where('status', '=', 'firing')
      .where('silenced', '=', 0)
      .where('next_escalation_at', 'is not', null)
      .where('next_escalation_at', '<=', this.clock.now())
      .orderBy('next_escalation_at')
      .limit(TICK_BATCH)
      .execute();
    for (const row of due) await this.escalateTo({ id: row.id } as Alert, Number(row.escalation_level) + 1);
    return due.length;
  }
}
