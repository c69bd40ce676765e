import type { Kysely } from 'kysely';
import { sha256 } from '../auth/token-hash';
import type { Config } from '../platform/config/config';
import type { Database } from '../platform/db/schema';
import { maskUrl } from '../platform/outbound/address-policy';
import { SYSTEM_ACTOR, type AuditLog } from './audit-log';

/** A webhook URL as the audit log shows it: the host, and a short hash that tells two secrets apart. */
const maskedWithPrint = (url: string | undefined) => (url ? `${maskUrl(url)} (${sha256(url).slice(0, 8)})` : null);

/** Security-relevant settings outside the database, as recorded; `initial` is what a first start compares with. */
const WATCHED: { name: keyof Config; value: (c: Config) => string | null; initial: string | null }[] = [
  { name: 'API_DOCS', value: (c) => c.API_DOCS, initial: 'public' },
  { name: 'WEBHOOK_ALLOW_HTTP', value: (c) => c.WEBHOOK_ALLOW_HTTP || null, initial: null },
  { name: 'WEBHOOK_ALLOW_PRIVATE', value: (c) => c.WEBHOOK_ALLOW_PRIVATE || null, initial: null },
  { name: 'WEBHOOK_CA_FILE', value: (c) => c.WEBHOOK_CA_FILE ?? null, initial: null },
  { name: 'SLACK_WEBHOOK_URL', value: (c) => maskedWithPrint(c.SLACK_WEBHOOK_URL), initial: null },
  { name: 'SMS_WEBHOOK_URL', value: (c) => maskedWithPrint(c.SMS_WEBHOOK_URL), initial: null },
];

/**
 * At start: one `config.changed` entry for each watched setting that differs from the last start
 * (the environment is not in the database, so this is the only trace of who exposed what, when).
 */
export async function auditConfigChanges(db: Kysely<Database>, audit: AuditLog, config: Config): Promise<void> {
  for (const w of WATCHED) {
    const last = await db.selectFrom('audit_log').select('details').where('action', '=', 'config.changed').where('target_id', '=', w.name).orderBy('id', 'desc').limit(1).executeTakeFirst();
    const from = last?.details ? ((JSON.parse(last.details) as { to: string | null }).to ?? null) : w.initial;
    const to = w.value(config);
    if (from !== to) await audit.record(SYSTEM_ACTOR, { action: 'config.changed', targetType: 'config', targetId: w.name, details: { from, to } });
  }
}
