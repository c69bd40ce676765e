import type { Kysely, Selectable } from 'kysely';
import type { CannedReply } from '../../../shared/api/canned';
import type { Principal } from '../auth/auth-service';
import type { Actor, AuditLog } from '../audit/audit-log';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db/schema';
import { AppError, notFound } from '../platform/http/errors';
import { uuid } from '../platform/ids';
import type { CannedRepliesTable } from './tables';

const toReply = (r: Selectable<CannedRepliesTable>): CannedReply => ({ id: r.id, name: r.name, body: r.body, shared: r.owner_id === null, ownerId: r.owner_id, updatedAt: Number(r.updated_at) });

/** The caller: who they are for the rules, and as whom the audit log records them. */
export type Caller = Principal & { actor: Actor };

/**
 * Canned replies. Everyone reads the shared ones and their own; only admins write shared ones,
 * and only the owner writes a personal one (another's is not found). Placeholders are filled by
 * the composer from the ticket it answers (shared/api/canned.ts).
 */
export class CannedReplies {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async list(p: Principal, q: string): Promise<CannedReply[]> {
    let query = this.db.selectFrom('canned_replies').selectAll().where((eb) => eb.or([eb('owner_id', 'is', null), eb('owner_id', '=', p.userId)]));
    if (q) {
      const like = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where((eb) => eb.or([eb(eb.fn('lower', ['name']), 'like', like), eb(eb.fn('lower', ['body']), 'like', like)]));
    }
    const rows = await query.orderBy('name').limit(200).execute();
    return rows.map(toReply);
  }

  async create(p: Caller, input: { name: string; body: string; shared: boolean }): Promise<CannedReply> {
    if (input.shared && p.role !== 'admin') throw new AppError('forbidden', 'Only admins create shared canned replies; save it as your own');
    const now = this.clock.now();
    const row = { id: uuid(), owner_id: input.shared ? null : p.userId, name: input.name, body: input.body, created_by: p.userId, created_at: now, updated_at: now };
    await this.db.transaction().execute(async (trx) => {
      await this.assertNameFree(trx, row.owner_id, input.name, null);
      await trx.insertInto('canned_replies').values(row).execute();
      if (input.shared) await this.audit.record(p.actor, { action: 'canned.created', targetType: 'canned_reply', targetId: row.id, details: { name: input.name } }, trx);
    });
    return toReply(row);
  }

  async update(p: Caller, id: string, input: { name?: string; body?: string }): Promise<CannedReply> {
    return this.db.transaction().execute(async (trx) => {
      const row = await this.writable(trx, p, id);
      if (input.name !== undefined) await this.assertNameFree(trx, row.owner_id, input.name, id);
      const next = { ...row, ...input, updated_at: this.clock.now() };
      await trx.updateTable('canned_replies').set({ name: next.name, body: next.body, updated_at: next.updated_at }).where('id', '=', id).execute();
      if (row.owner_id === null) await this.audit.record(p.actor, { action: 'canned.updated', targetType: 'canned_reply', targetId: id, details: { name: next.name } }, trx);
      return toReply(next);
    });
  }

  async remove(p: Caller, id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await this.writable(trx, p, id);
      await trx.deleteFrom('canned_replies').where('id', '=', id).execute();
      if (row.owner_id === null) await this.audit.record(p.actor, { action: 'canned.deleted', targetType: 'canned_reply', targetId: id, details: { name: row.name } }, trx);
    });
  }

  private async writable(trx: Kysely<Database>, p: Principal, id: string): Promise<Selectable<CannedRepliesTable>> {
    const row = await trx.selectFrom('canned_replies').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || (row.owner_id !== null && row.owner_id !== p.userId)) throw notFound('Canned reply');
    if (row.owner_id === null && p.role !== 'admin') throw new AppError('forbidden', 'Only admins change shared canned replies');
    return row;
  }

  private async assertNameFree(trx: Kysely<Database>, ownerId: string | null, name: string, exceptId: string | null): Promise<void> {
    let q = trx.selectFrom('canned_replies').select('id').where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()));
    q = ownerId === null ? q.where('owner_id', 'is', null) : q.where('owner_id', '=', ownerId);
    const clash = await q.executeTakeFirst();
    if (clash && clash.id !== exceptId) throw new AppError('conflict', `A canned reply named "${name}" already exists`, { field: 'name' });
  }
}
