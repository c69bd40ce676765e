import type { Kysely } from 'kysely';
import type { Alert, EscalationLevel, EscalationPolicy } from '../../../shared/api/alerts';
import { DEFAULT_POLICY_ID, type PagedUser, type Policy } from '../../../shared/api/escalation';
import type { Actor } from '../audit/audit-log';
import type { AlertService } from '../alerts/alert-service';
import type { LabelSet } from '../alerts/labels';
import type { Database } from '../platform/db/schema';
import type { Clock } from '../platform/clock';
import type { Notifier } from '../notifications/notifier';
import type { Pager } from './pager';
import type { PolicyStore } from './policy-store';

export { DEFAULT_LEVELS } from './policy-store';

const TICK_BATCH = 200;
const MINUTE = 60_000;
/** A one-level policy that repeats waits this long between runs unless its level says later. */
const SINGLE_LEVEL_REPEAT_MINUTES = 30;

interface Page {
  alert: Alert;
  policy: Policy;
  level: number;
  pageKey: string;
}

export interface Step {
  level: number;
  round: number;
  waitMs: number;
}

/**
 * After level `level` of run `round`: the next level of the same run, or the first level of the
 * next run while the policy still repeats (after as long as its last level waited), or nothing.
 */
export function nextStep(p: Pick<Policy, 'levels' | 'repeat'>, level: number, round: number): Step | null {
  const cur = p.levels[level];
  const next = p.levels[level + 1];
  if (cur && next) return { level: level + 1, round, waitMs: (next.afterMinutes - cur.afterMinutes) * MINUTE };
  if (round >= p.repeat) return null;
  const last = p.levels[p.levels.length - 1]!;
  const prev = p.levels[p.levels.length - 2];
  return { level: 0, round: round + 1, waitMs: (prev ? last.afterMinutes - prev.afterMinutes : last.afterMinutes || SINGLE_LEVEL_REPEAT_MINUTES) * MINUTE };
}

/**
 * Walks unacknowledged, unsilenced alerts up their escalation policy (the first policy whose labels
 * the alert carries, else the default). Level 0 is paged when the alert fires; each later level at
 * its `afterMinutes` since the run began; the policy runs again `repeat` times. Acknowledging or
 * resolving stops it; an acknowledgement not followed by a resolve within the policy's ack timeout
 * fires the alert again and re-pages its level. An owned alert ("I'm on it") pages only its owner.
 * Nobody is paged twice for one level (Pager.claim). Driven by `tick()` on the injected clock.
 */
export class Escalator {
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly firstPages: Alert[] = [];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly alerts: AlertService,
    private readonly notifier: Notifier,
    private readonly policies: PolicyStore,
    private readonly pager: Pager,
    /** Failed notification work started from alert events (logged and counted by the lifecycle). */
    private readonly onError: (err: unknown) => void,
  ) {
    // A new alert is inserted at level 0 of its policy with its next step set; only the pages remain.
    alerts.listeners.fired.push((a) => {
      if (!a.silenced) this.queueFirstPage(a);
    });
    alerts.listeners.updated.push((a, what) => {
      // An alert whose silence ended starts its escalation now.
      if (what === 'unsilenced' && a.status === 'firing') this.track(a.escalationLevel < 0 ? this.escalateTo(a.id, 0, 0) : this.resume(a));
      if (what === 'silenced' && a.nextEscalationAt !== null) this.track(this.alerts.patch(a.id, { next_escalation_at: null }, 'escalation_paused'));
      if (what === 'acknowledged') this.track(this.startAckTimer(a));
    });
  }

  /** For AlertService.raise: each new alert's policy and when its first step is due (read once per batch). */
  async planner(): Promise<(labels: LabelSet) => { policyId: string; delayMs: number | null }> {
    const list = await this.policies.list();
    return (labels) => {
      const p = list.find((x) => x.isDefault || Object.entries(x.match).every(([k, v]) => labels[k] === v))!;
      return { policyId: p.id, delayMs: nextStep(p, 0, 0)?.waitMs ?? null };
    };
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

  /** The default policy's levels (the API's /escalation-policy). */
  async policy(): Promise<EscalationPolicy> {
    const p = await this.policies.get(DEFAULT_POLICY_ID);
    return { levels: p.levels, ...(p.updatedAt !== null && { updatedAt: p.updatedAt }) };
  }

  async setPolicy(actor: Actor, levels: EscalationLevel[]): Promise<EscalationPolicy> {
    const p = await this.policies.get(DEFAULT_POLICY_ID);
    const saved = await this.policies.save(actor, DEFAULT_POLICY_ID, { name: p.name, match: {}, repeat: p.repeat, ackTimeoutMinutes: p.ackTimeoutMinutes, levels });
    this.pager.clearCache();
    return { levels: saved.levels, updatedAt: saved.updatedAt ?? this.clock.now() };
  }

  /** Pages one level of an alert's policy: its owner if it has one, else the level's targets, each person once per level. */
  private async page(alert: Alert, policy: Policy, level: number, pageKey: string): Promise<void> {
    await this.pageMany([{ alert, policy, level, pageKey }]);
  }

  /**
   * `page` for many alerts at once: who each level targets comes from the Pager's caches (one
   * lookup per schedule, not per alert), everyone is claimed in one multi-row insert, and the
   * Notifier records the deliveries of the whole batch together.
   */
  private async pageMany(pages: Page[]): Promise<void> {
    const planned: (Page & { levelName: string; people: PagedUser[] })[] = [];
    for (const p of pages) {
      const l = p.policy.levels[p.level];
      if (!l) continue;
      const people = p.alert.ownerId ? await this.pager.owner(p.alert.ownerId) : await this.pager.targets(l);
      planned.push({ ...p, levelName: l.name, people });
    }
    const fresh = await this.pager.claimMany(planned.map((p) => ({ alertId: p.alert.id, pageKey: p.pageKey, people: p.people })));
    const sent = await Promise.allSettled(
      planned.map((p, i) =>
        // Everyone this level names was paged for it already: no second page (nor a second Slack post).
        p.people.length > 0 && fresh[i]!.length === 0 ? null : this.notifier.notify(p.alert, p.level, p.levelName, fresh[i]!),
      ),
    );
    const failed = sent.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failed.length === 1) throw failed[0];
    if (failed.length > 1) throw new AggregateError(failed, `${failed.length} of ${planned.length} pages could not be notified`);
  }

  /**
   * New alerts arrive in batches (a webhook's, raised in one transaction) and their listeners run
   * one after another: their first pages are collected and paged together once the batch is through.
   */
  private queueFirstPage(alert: Alert): void {
    this.firstPages.push(alert);
    if (this.firstPages.length === 1) this.track(Promise.resolve().then(() => this.pageFirst()));
  }

  private async pageFirst(): Promise<void> {
    const batch = this.firstPages.splice(0);
    const pages: Page[] = [];
    for (const alert of batch) pages.push({ alert, policy: await this.policies.forAlert(alert.policyId), level: 0, pageKey: '0.0' });
    await this.pageMany(pages);
  }

  private async escalateTo(alertId: string, level: number, round: number): Promise<void> {
    const page = await this.stepTo(alertId, level, round);
    if (page) await this.pageMany([page]);
  }

  /** Moves the alert to `level` of run `round` and answers the page that is due (paged by the caller), if it still fires. */
  private async stepTo(alertId: string, level: number, round: number): Promise<Page | null> {
    const current = await this.alerts.row(alertId);
    if (current.status !== 'firing' || current.silenced === 1) return null;
    const policy = await this.policies.forAlert(current.policy_id);
    if (!policy.levels[level]) return null;
    const step = nextStep(policy, level, round);
    const updated = await this.alerts.patch(alertId, { escalation_level: level, escalation_round: round, next_escalation_at: step ? this.clock.now() + step.waitMs : null }, 'escalated');
    return { alert: updated, policy, level, pageKey: `${round}.${level}` };
  }

  /** An alert silenced mid-escalation picks up where it paused, with the full wait for its next step. */
  private async resume(alert: Alert): Promise<void> {
    const step = nextStep(await this.policies.forAlert(alert.policyId), alert.escalationLevel, alert.escalationRound);
    if (step) await this.alerts.patch(alert.id, { next_escalation_at: this.clock.now() + step.waitMs }, 'escalation_resumed');
  }

  private async startAckTimer(alert: Alert): Promise<void> {
    const { ackTimeoutMinutes } = await this.policies.forAlert(alert.policyId);
    if (ackTimeoutMinutes !== null) await this.alerts.patch(alert.id, { ack_expires_at: this.clock.now() + ackTimeoutMinutes * MINUTE }, 'ack_timer');
  }

  /** The ack timed out: the alert fires again, its level is paged again (everyone once more), escalation goes on from there. */
  private async reopen(alertId: string): Promise<void> {
    const row = await this.alerts.row(alertId);
    if (row.status !== 'acknowledged' || row.ack_expires_at === null) return;
    const policy = await this.policies.forAlert(row.policy_id);
    const level = Math.max(0, Number(row.escalation_level));
    const round = Number(row.escalation_round);
    const step = nextStep(policy, level, round);
    const patch = { status: 'firing', acked_at: null, acked_by: null, ack_expires_at: null, escalation_level: level, next_escalation_at: step ? this.clock.now() + step.waitMs : null };
    const updated = await this.alerts.patch(alertId, patch, 'ack_timeout');
    await this.page(updated, policy, level, `${round}.${level}.ack@${row.acked_at}`);
  }

  /**
   * Moves due alerts one step on, the longest-waiting first, then re-fires acknowledgements that
   * timed out. An alert storm comes due all at once 30 minutes later; at most TICK_BATCH of each per
   * tick keeps one tick from holding the process, the rest follow on the next ticks.
   */
  async tick(): Promise<number> {
    const now = this.clock.now();
    const due = await this.db
      .selectFrom('alerts')
      .select(['id', 'escalation_level', 'escalation_round', 'policy_id'])
      .where('status', '=', 'firing')
      .where('silenced', '=', 0)
      .where('next_escalation_at', 'is not', null)
      .where('next_escalation_at', '<=', now)
      .orderBy('next_escalation_at')
      .limit(TICK_BATCH)
      .execute();
    // Each alert's step is written as before; the pages of the whole batch go out together.
    const pages: Page[] = [];
    for (const row of due) {
      const step = nextStep(await this.policies.forAlert(row.policy_id), Number(row.escalation_level), Number(row.escalation_round));
      const page = step ? await this.stepTo(row.id, step.level, step.round) : await this.alerts.patch(row.id, { next_escalation_at: null }, 'escalation_done').then(() => null);
      if (page) pages.push(page);
    }
    await this.pageMany(pages);
    const expired = await this.db.selectFrom('alerts').select('id').where('status', '=', 'acknowledged').where('ack_expires_at', '<=', now).orderBy('ack_expires_at').limit(TICK_BATCH).execute();
    for (const row of expired) await this.reopen(row.id);
    return due.length + expired.length;
  }
}
