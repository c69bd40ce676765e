import type { Kysely } from 'kysely';
import type { AuditEntry, AuditQuery } from '../../../shared/api/audit';
import type { Database } from '../platform/db/schema';
import { decodeCursor, encodeCursor } from '../platform/http/cursor';
import type { Clock } from '../platform/clock';

/** Who did it and from where; `null` actor means the system itself. */
export interface Actor {
  id: string | null;
  email: string | null;
  ip: string | null;
}

export const SYSTEM_ACTOR: Actor = { id: null, email: 'system', ip: null };

export interface AuditRecord {
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

/** The append-only record of every privileged action. Pass a transaction to audit inside a write. */
export class AuditLog {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async record(actor: Actor, entry: AuditRecord, trx: Kysely<Database> = this.db): Promise<void> {
    await trx
      .insertInto('audit_log')
      .values({
        at: this.clock.now(),
        actor_id: actor.id,
        actor_email: actor.email,
        action: entry.action,
        target_type: entry.targetType ?? null,
        target_id: entry.targetId ?? null,
        ip: actor.ip,
        details: entry.details ? JSON.stringify(entry.details) : null,
      })
      .execute();
  }

  async list(query: AuditQuery): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    let q = this.db.selectFrom('audit_log').selectAll();
    if (query.actorId) q = q.where('actor_id', '=', query.actorId);
    if (query.action) q = q.where('action', '=', query.action);
    if (query.targetType) q = q.where('target_type', '=', query.targetType);
    if (query.targetId) q = q.where('target_id', '=', query.targetId);
    if (query.from !== undefined) q = q.where('at', '>=', query.from);
    if (query.to !== undefined) q = q.where('at', '<', query.to);
    if (query.cursor) {
      const [beforeId] = decodeCursor(query.cursor, ['number']);
      q = q.where('id', '<', beforeId as number);
    }
    const rows = await q.orderBy('id', 'desc').limit(query.limit + 1).execute();
    const page = rows.slice(0, query.limit);
    return {
      items: page.map((r) => ({
        id: Number(r.id),
        at: r.at,
        actorId: r.actor_id,
        actorEmail: r.actor_email,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        ip: r.ip,
        details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
      })),
      nextCursor: rows.length > query.limit ? encodeCursor([Number(page[page.length - 1]!.id)]) : null,
    };
  }
}
