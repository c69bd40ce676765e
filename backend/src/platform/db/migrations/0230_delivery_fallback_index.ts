import type { Kysely } from 'kysely';

/**
 * The Notifier's desktop fallback asks, per unconfirmed desktop delivery, which email/SMS rows the
 * person already got at that level (`user_id`, `alert_id` — null for a notice —, `escalation_level`,
 * `channel`, `created_at`). Only `alert_id` was indexed, so a notice's check read every notice ever delivered:
 * at 1M tickets with SLA notices flowing, 40,000 rows per check, up to 0.47 s each with the event
 * loop blocked (issue 17: light requests waited seconds behind it). This index answers it directly.
 */
export function deliveryFallbackIndex() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex('notification_deliveries_person_level')
        .on('notification_deliveries')
        .columns(['user_id', 'alert_id', 'escalation_level', 'channel', 'created_at'])
        .execute();
    },
  };
}
