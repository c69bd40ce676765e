import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { SYSTEM_ACTOR, type AuditLog } from '../audit/audit-log';
import { hashesEqual, sha256 } from '../auth/token-hash';
import type { Database } from '../platform/db/schema';
import { AppError } from '../platform/http/errors';
import { bearerToken } from '../platform/http/guards';

/** Refuses a scrape without `Authorization: Bearer <METRICS_TOKEN>` when the token is set. */
export function checkMetricsToken(expected: string | undefined, request: FastifyRequest): void {
  if (expected === undefined) return;
  const given = bearerToken(request);
  if (!given || !hashesEqual(sha256(given), sha256(expected))) {
    throw new AppError('unauthorized', '/metrics needs Authorization: Bearer <METRICS_TOKEN>');
  }
}

/** Identifies a token in the audit log without revealing it. */
const fingerprint = (token: string) => sha256(`opsdesk-metrics-token:${token}`).slice(0, 12);

/**
 * At start: audits the metrics token when it was configured, rotated or removed since the last
 * start (compared with the last entry's fingerprint), so a restart with the same token adds nothing.
 */
export async function auditMetricsToken(db: Kysely<Database>, audit: AuditLog, token: string | undefined): Promise<void> {
  const last = await db.selectFrom('audit_log').select(['action', 'details']).where('target_type', '=', 'metrics').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const configured = last?.action === 'metrics.token_configured';
  const lastPrint = configured && last.details ? (JSON.parse(last.details) as { fingerprint?: string }).fingerprint : undefined;
  const target = { targetType: 'metrics', targetId: '/metrics' };
  if (token !== undefined) {
    const print = fingerprint(token);
    if (print === lastPrint) return;
    await audit.record(SYSTEM_ACTOR, { action: 'metrics.token_configured', ...target, details: { fingerprint: print, rotated: configured } });
  } else if (configured) {
    await audit.record(SYSTEM_ACTOR, { action: 'metrics.token_removed', ...target });
  }
}
