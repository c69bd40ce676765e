import type { Kysely } from 'kysely';
import { OPEN_TICKET_STATUSES } from '../../../shared/domain/tickets';
import type { CreateSavedViewRequest, SavedView, TicketFilter, TicketSort, UpdateSavedViewRequest } from '../../../shared/api/tickets';
import type { Database } from '../platform/db/schema';
import { AppError, notFound } from '../platform/http/errors';
import type { Clock } from '../platform/clock';
import { uuid } from '../platform/ids';
import type { EventHub } from '../platform/realtime/event-hub';
import type { Audience, ChangeFeed } from '../sync/change-feed';

const OPEN = OPEN_TICKET_STATUSES;
const builtin = (id: string, name: string, filter: TicketFilter, sort: TicketSort): SavedView => ({ id, name, builtin: true, filter, sort, shared: false, ownerId: null, ownerName: null, createdAt: null, updatedAt: null });

/** Every user has these; they cannot be edited or deleted. */
export const BUILTIN_VIEWS: SavedView[] = [
  builtin('my-open', 'My open', { assignee: 'me', status: [...OPEN] }, 'updated'),
  builtin('unassigned', 'Unassigned', { assignee: 'unassigned', status: [...OPEN] }, 'due'),
  builtin('breaching-sla', 'Breaching SLA', { sla: ['warning', 'breached'], status: [...OPEN] }, 'due'),
];

type ViewRow = Database['saved_views'] & { owner_name: string | null };

/**
 * Saved views: a name, a ticket filter and a sort, per user; a shared one is seen by every agent
 * and changed only by its owner. They sync through the change feed (a personal view to its owner,
 * a shared one to everyone), so they follow a person to another machine.
 */
export class ViewService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly changes: ChangeFeed,
    private readonly events: EventHub,
    private readonly clock: Clock,
  ) {}

  /** After commit: the desktops that see (or saw) the view sync now; the event names its id only. */
  private announce(type: 'view.updated' | 'view.removed', userId: string, shared: boolean, seq: number, id: string): void {
    this.events.publish({ type, seq, actor: { id: userId, email: null }, data: { id }, at: this.clock.now() }, audienceOf(userId, shared));
  }

  private rows(trx: Kysely<Database> = this.db) {
    return trx.selectFrom('saved_views').leftJoin('users', 'users.id', 'saved_views.user_id').selectAll('saved_views').select('users.name as owner_name');
  }

  async list(userId: string): Promise<SavedView[]> {
    const rows = await this.rows().where((eb) => eb.or([eb('saved_views.user_id', '=', userId), eb('saved_views.shared', '=', 1)])).orderBy('saved_views.name').execute();
    return [...BUILTIN_VIEWS, ...rows.map(toView)];
  }

  /** A view the user may use: a built-in, their own, or a shared one. */
  async get(userId: string, id: string): Promise<SavedView> {
    const found = BUILTIN_VIEWS.find((v) => v.id === id);
    if (found) return found;
    const row = await this.rows().where('saved_views.id', '=', id).executeTakeFirst();
    if (!row || (row.user_id !== userId && row.shared !== 1)) throw notFound('View');
    return toView(row);
  }

  async create(userId: string, input: CreateSavedViewRequest): Promise<SavedView> {
    const now = this.clock.now();
    const id = input.id ?? uuid();
    if (await this.db.selectFrom('saved_views').select('id').where('id', '=', id).executeTakeFirst()) throw new AppError('conflict', 'A view with this id exists');
    const row = { id, user_id: userId, name: input.name, filter: JSON.stringify(input.filter), sort: input.sort, shared: input.shared ? 1 : 0, created_at: now, updated_at: now };
    return this.write(userId, id, false, async (trx) => {
      await this.assertNameFree(trx, userId, input.name, null);
      await trx.insertInto('saved_views').values(row).execute();
    });
  }

  async update(userId: string, id: string, input: UpdateSavedViewRequest): Promise<SavedView> {
    const before = await this.owned(userId, id, 'changed');
    return this.write(userId, id, before.shared, async (trx) => {
      if (input.name !== undefined) await this.assertNameFree(trx, userId, input.name, id);
      await trx
        .updateTable('saved_views')
        .set({
          ...(input.name !== undefined && { name: input.name }),
          ...(input.filter !== undefined && { filter: JSON.stringify(input.filter) }),
          ...(input.sort !== undefined && { sort: input.sort }),
          ...(input.shared !== undefined && { shared: input.shared ? 1 : 0 }),
          updated_at: this.clock.now(),
        })
        .where('id', '=', id)
        .execute();
    });
  }

  async remove(userId: string, id: string): Promise<void> {
    const before = await this.owned(userId, id, 'deleted');
    const seq = await this.db.transaction().execute(async (trx) => {
      await this.changes.lock(trx);
      await trx.deleteFrom('saved_views').where('id', '=', id).execute();
      return this.changes.record(trx, { entity: 'saved_view', id, op: 'delete', audience: audienceOf(userId, before.shared), data: null, actorId: userId });
    });
    this.announce('view.removed', userId, before.shared, seq, id);
  }

  /** Only the owner changes a view; a shared view of someone else reads as forbidden, another's personal one as missing. */
  private async owned(userId: string, id: string, verb: string): Promise<SavedView> {
    if (BUILTIN_VIEWS.some((v) => v.id === id)) throw new AppError('unprocessable', `Built-in views cannot be ${verb}; save a copy`);
    const view = await this.get(userId, id);
    if (view.ownerId !== userId) throw new AppError('forbidden', `Only ${view.ownerName ?? 'its owner'} can change the shared view ${view.name}; save a copy`);
    return view;
  }

  private async assertNameFree(trx: Kysely<Database>, userId: string, name: string, except: string | null): Promise<void> {
    let q = trx.selectFrom('saved_views').select('id').where('user_id', '=', userId).where('name', '=', name);
    if (except) q = q.where('id', '!=', except);
    if ((await q.executeTakeFirst()) || BUILTIN_VIEWS.some((v) => v.name === name)) throw new AppError('conflict', `You already have a view named ${name}`, { field: 'name' });
  }

  /** Writes, then records the view for whoever sees it now; un-sharing first removes it from everyone else. */
  private async write(userId: string, id: string, wasShared: boolean, fn: (trx: Kysely<Database>) => Promise<void>): Promise<SavedView> {
    const { view, seq } = await this.db.transaction().execute(async (trx) => {
      await this.changes.lock(trx);
      await fn(trx);
      const view = toView(await this.rows(trx).where('saved_views.id', '=', id).executeTakeFirstOrThrow());
      if (wasShared && !view.shared) await this.changes.record(trx, { entity: 'saved_view', id, op: 'delete', audience: { kind: 'all' }, data: null, actorId: userId });
      const seq = await this.changes.record(trx, { entity: 'saved_view', id, op: 'upsert', audience: audienceOf(userId, view.shared), data: view, actorId: userId });
      return { view, seq };
    });
    this.announce('view.updated', userId, view.shared || wasShared, seq, id);
    return view;
  }
}

const audienceOf = (userId: string, shared: boolean): Audience => (shared ? { kind: 'all' } : { kind: 'user', userId });

function toView(r: ViewRow): SavedView {
  return {
    id: r.id,
    name: r.name,
    builtin: false,
    filter: JSON.parse(r.filter) as TicketFilter,
    sort: r.sort as TicketSort | null,
    shared: r.shared === 1,
    ownerId: r.user_id,
    ownerName: r.owner_name,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
