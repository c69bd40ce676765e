import type { Kysely } from 'kysely';
import { severityRank, type Severity } from '../../../shared/api/alerts';
import type { Database } from '../platform/db/schema';
import type { Clock } from '../platform/clock';
import type { Notifier } from './notifier';
import type { PreferenceStore } from './preference-store';
import { inQuietHours } from './quiet-hours';
import type { Message } from './senders';

const LISTED = 20;

/**
 * Quiet hours hold a person's notifications (status `held`); when the hours end (or the person
 * turns them off) the next alert tick marks them `summarized` and sends one summary notice on the
 * desktop and by email. The claim is a conditional update, so two ticks never summarise a row twice.
 */
export class HeldRelease {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly prefs: PreferenceStore,
    private readonly notifier: Notifier,
  ) {}

  /** Returns how many people got a summary. */
  async release(): Promise<number> {
    const people = await this.db
      .selectFrom('notification_deliveries')
      .innerJoin('users', 'users.id', 'notification_deliveries.user_id')
      .select(['users.id', 'users.email', 'users.name'])
      .where('notification_deliveries.status', '=', 'held')
      .groupBy(['users.id', 'users.email', 'users.name'])
      .execute();
    let summarized = 0;
    for (const person of people) {
      if (inQuietHours(await this.prefs.quietHours(person.id), this.clock.now())) continue;
      const rows = await this.db
        .updateTable('notification_deliveries')
        .set({ status: 'summarized', sent_at: this.clock.now() })
        .where('user_id', '=', person.id)
        .where('status', '=', 'held')
        .returning(['alert_id', 'payload', 'created_at'])
        .execute();
      const message = summaryOf(rows.map((r) => ({ alertId: r.alert_id, at: Number(r.created_at), message: JSON.parse(r.payload) as Message })));
      if (!message) continue;
      await this.notifier.notice([person], message);
      summarized++;
    }
    return summarized;
  }
}

/** One message for everything held: each alert once (its first notification), the worst severity, the newest first. */
export function summaryOf(held: { alertId: string | null; at: number; message: Message }[]): Message | null {
  const byAlert = new Map<string, { at: number; message: Message }>();
  for (const h of held.sort((a, b) => a.at - b.at)) if (!byAlert.has(h.alertId ?? h.message.subject)) byAlert.set(h.alertId ?? h.message.subject, h);
  const items = [...byAlert.values()].sort((a, b) => b.at - a.at);
  if (items.length === 0) return null;
  const worst = items.reduce<Severity>((w, i) => (severityRank(i.message.severity as Severity) > severityRank(w) ? (i.message.severity as Severity) : w), 'low');
  const lines = items.slice(0, LISTED).map((i) => `${new Date(i.at).toISOString().slice(11, 16)} UTC  ${i.message.subject}`);
  if (items.length > LISTED) lines.push(`… and ${items.length - LISTED} more`);
  const n = items.length;
  return { subject: `While you were in do-not-disturb: ${n} alert${n === 1 ? '' : 's'}`, text: lines.join('\n'), severity: worst, alertId: null };
}
