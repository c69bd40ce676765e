import type { Kysely } from 'kysely';
import { OPEN_TICKET_STATUSES } from '../../../shared/domain/tickets';
import type { SavedView, TicketFilter, TicketSort } from '../../../shared/api/tickets';
import type { Database } from '../platform/db/schema';
import { AppError, notFound } from '../platform/http/errors';
import type { Clock } from '../platform/clock';
import { uuid } from '../platform/ids';
import type { ChangeFeed } from '../sync/change-feed';

const OPEN = OPEN_TICKET_STATUSES;

/** Every user has these; they cannot be edited or deleted. */
export const BUILTIN_VIEWS: SavedView[] = [
  { id: 'my-open', name: 'My open', builtin: true, filter: { assignee: 'me', status: [...OPEN] }, sort: 'updated', createdAt: null },
  { id: 'unassigned', name: 'Unassigned', builtin: true, filter: { assignee: 'unassigned', status: [...OPEN] }, sort: 'due', createdAt: null },
  { id: 'breaching-sla', name: 'Breaching SLA', builtin: true, filter: { sla: ['warning', 'breached'], status: [...OPEN] }, sort: 'due', createdAt: null },
];

/** Saved views: a name and a ticket filter, per user; they sync to that user only. */
export class ViewService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly changes: ChangeFeed,
    private readonly clock: Clock,
  ) {}

  async list(userId: string): Promise<SavedView[]> {
    const rows = await this.db.selectFrom('saved_views').selectAll().where('user_id', '=', userId).orderBy('name').execute();
    return [...BUILTIN_VIEWS, ...rows.map(toView)];
  }

  async get(userId: string, id: string): Promise<SavedView> {
    const builtin = BUILTIN_VIEWS.find((v) => v.id === id);
    if (builtin) return builtin;
    const row = await this.db.selectFrom('saved_views').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    if (!row) throw notFound('View');
    return toView(row);
  }

  async create(userId: string, input: { name: string; filter: TicketFilter; sort: TicketSort | null }): Promise<SavedView> {
    const now = this.clock.now();
    const row = { id: uuid(), user_id: userId, name: input.name, filter: JSON.stringify(input.filter), sort: input.sort, created_at: now, updated_at: now };
    return this.write(userId, row.id, async (trx) => {
      await this.assertNameFree(trx, userId, input.name, null);
      await trx.insertInto('saved_views').values(row).execute();
    });
  }

  async update(userId: string, id: string, input: { name?: string; filter?: TicketFilter; sort?: TicketSort | null }): Promise<SavedView> {
    if (BUILTIN_VIEWS.some((v) => v.id === id)) throw new AppError('unprocessable', 'Built-in views cannot be changed; save a copy');
    await this.get(userId, id);
    return this.write(userId, id, async (trx) => {
      if (input.name !== undefined) await this.assertNameFree(trx, userId, input.name, id);
      await trx
        .updateTable('saved_views')
        .set({
          ...(input.name !== undefined && { name: input.name }),
          ...(input.filter !== undefined && { filter: JSON.stringify(input.filter) }),
          ...(input.sort !== undefined && { sort: input.sort }),
          updated_at: this.clock.now(),
        })
        .where('id', '=', id)
        .execute();
    });
  }

  async remove(userId: string, id: string): Promise<void> {
    if (BUILTIN_VIEWS.some((v) => v.id === id)) throw new AppError('unprocessable', 'Built-in views cannot be deleted');
    await this.get(userId, id);
    await this.db.transaction().execute(async (trx) => {
      await this.changes.lock(trx);
      await trx.deleteFrom('saved_views').where('id', '=', id).execute();
      await this.changes.record(trx, { entity: 'saved_view', id, op: 'delete', audience: { kind: 'user', userId }, data: null, actorId: userId });
    });
  }

  private async assertNameFree(trx: Kysely<Database>, userId: string, name: string, except: string | null): Promise<void> {
    let q = trx.selectFrom('saved_views').select('id').where('user_id', '=', userId).where('name', '=', name);
    if (except) q = q.where('id', '!=', except);
    if ((await q.executeTakeFirst()) || BUILTIN_VIEWS.some((v) => v.name === name)) throw new AppError('conflict', `You already have a view named ${name}`);
  }

  private async write(userId: string, id: string, fn: (trx: Kysely<Database>) => Promise<void>): Promise<SavedView> {
    return this.db.transaction().execute(async (trx) => {
      await this.changes.lock(trx);
      await fn(trx);
      const view = toView(await trx.selectFrom('saved_views').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
      await this.changes.record(trx, { entity: 'saved_view', id, op: 'upsert', audience: { kind: 'user', userId }, data: view, actorId: userId });
      return view;
    });
  }
}

function toView(r: { id: string; name: string; filter: string; sort: string | null; created_at: number }): SavedView {
  return { id: r.id, name: r.name, builtin: false, filter: JSON.parse(r.filter) as TicketFilter, sort: r.sort as TicketSort | null, createdAt: r.created_at };
}
