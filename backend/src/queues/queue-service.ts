import { sql, type Kysely } from 'kysely';
import type { CreateQueueRequest, Queue, UpdateQueueRequest } from '../../../shared/api/queues';
import type { Actor, AuditLog } from '../audit/audit-log';
import type { Principal } from '../auth/auth-service';
import type { Database } from '../platform/db/schema';
import { AppError, notFound } from '../platform/http/errors';
import type { Clock } from '../platform/clock';
import { uuid } from '../platform/ids';
import type { EventHub } from '../platform/realtime/event-hub';
import { REVOKE_OP, type ChangeFeed } from '../sync/change-feed';
import { queueCalendars } from '../sla/calendars';
import { QueueAccess } from './queue-access';

/** Where live sockets follow membership changes (the socket.io rooms in the server; nothing in the CLI). */
export interface QueueRooms {
  join(userId: string, queueId: string): void;
  leave(userId: string, queueId: string): void;
}

/**
 * Queues and their members. A queue record is seen by its members (and oncall/admin), like its
 * tickets. Membership decides what an agent sees, so a change to it is also a sync event: losing a
 * queue writes a tombstone for the queue and for each of its tickets and comments, for that user;
 * gaining one shows up as the queue's record arriving with `memberIds` holding the user, and the
 * client backfills that queue's history with `GET /sync/changes?queue=<id>&since=0`.
 */
export const NO_ROOMS: QueueRooms = { join: () => undefined, leave: () => undefined };

export class QueueService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly access: QueueAccess,
    private readonly changes: ChangeFeed,
    private readonly events: EventHub,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly rooms: QueueRooms,
  ) {}

  async list(principal: Principal): Promise<Queue[]> {
    const scope = await this.access.scopeOf(principal);
    let q = this.db.selectFrom('queues').selectAll().orderBy('name');
    if (!scope.all) {
      if (!scope.queueIds.length) return [];
      q = q.where('id', 'in', scope.queueIds);
    }
    const rows = await q.execute();
    const members = rows.length ? await this.db.selectFrom('queue_members').select(['queue_id', 'user_id']).where('queue_id', 'in', rows.map((r) => r.id)).orderBy('added_at').execute() : [];
    const calendars = await queueCalendars(this.db, rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      memberIds: members.filter((m) => m.queue_id === r.id).map((m) => m.user_id),
      slaCalendar: calendars.get(r.id) ?? null,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  async get(principal: Principal, id: string): Promise<Queue> {
    if (!QueueAccess.sees(await this.access.scopeOf(principal), id)) throw notFound('Queue');
    return this.load(this.db, id);
  }

  async create(actor: Actor, input: CreateQueueRequest): Promise<Queue> {
    const now = this.clock.now();
    const id = uuid();
    const queue = await this.write(actor, async (trx) => {
      if (await trx.selectFrom('queues').select('id').where('name', '=', input.name).executeTakeFirst()) throw new AppError('conflict', `A queue named ${input.name} exists`);
      await trx.insertInto('queues').values({ id, name: input.name, description: input.description, created_at: now, updated_at: now }).execute();
      for (const userId of new Set(input.memberIds)) await this.insertMember(trx, id, userId, now);
      await this.audit.record(actor, { action: 'queue.created', targetType: 'queue', targetId: id, details: { name: input.name } }, trx);
      return id;
    });
    for (const userId of new Set(input.memberIds)) this.rooms.join(userId, id);
    return queue;
  }

  async update(actor: Actor, id: string, input: UpdateQueueRequest): Promise<Queue> {
    return this.write(actor, async (trx) => {
      await this.load(trx, id);
      if (input.name !== undefined && (await trx.selectFrom('queues').select('id').where('name', '=', input.name).where('id', '!=', id).executeTakeFirst())) {
        throw new AppError('conflict', `A queue named ${input.name} exists`);
      }
      await trx.updateTable('queues').set({ ...input, updated_at: this.clock.now() }).where('id', '=', id).execute();
      await this.audit.record(actor, { action: 'queue.updated', targetType: 'queue', targetId: id, details: { ...input } }, trx);
      return id;
    });
  }

  async addMember(actor: Actor, queueId: string, userId: string): Promise<Queue> {
    const queue = await this.write(actor, async (trx) => {
      await this.load(trx, queueId);
      const exists = await trx.selectFrom('queue_members').select('user_id').where('queue_id', '=', queueId).where('user_id', '=', userId).executeTakeFirst();
      if (!exists) await this.insertMember(trx, queueId, userId, this.clock.now());
      await this.audit.record(actor, { action: 'queue.member_added', targetType: 'queue', targetId: queueId, details: { userId } }, trx);
      return queueId;
    });
    this.rooms.join(userId, queueId);
    return queue;
  }

  async removeMember(actor: Actor, queueId: string, userId: string): Promise<Queue> {
    const queue = await this.write(actor, async (trx) => {
      await this.load(trx, queueId);
      const res = await trx.deleteFrom('queue_members').where('queue_id', '=', queueId).where('user_id', '=', userId).executeTakeFirst();
      if (Number(res.numDeletedRows) === 0) throw notFound('Queue member');
      const user = await trx.selectFrom('users').select('role').where('id', '=', userId).executeTakeFirst();
      if (user?.role === 'agent') await this.revoke(trx, queueId, userId, actor.id);
      await this.audit.record(actor, { action: 'queue.member_removed', targetType: 'queue', targetId: queueId, details: { userId } }, trx);
      return queueId;
    });
    this.rooms.leave(userId, queueId);
    return queue;
  }

  /** Tombstones, addressed to one user, for a queue they left and every ticket and comment in it. */
  private async revoke(trx: Kysely<Database>, queueId: string, userId: string, actorId: string | null): Promise<void> {
    await this.changes.lock(trx);
    const now = this.clock.now();
    const common = (entity: string) => ({
      entity: sql<string>`cast(${entity} as text)`,
      op: sql<string>`cast(${REVOKE_OP} as text)`,
      audience: sql<string>`cast('user' as text)`,
      user_id: sql<string>`cast(${userId} as text)`,
      actor_id: sql<string | null>`cast(${actorId} as text)`,
      at: sql<number>`cast(${now} as bigint)`,
    });
    const cols = ['entity', 'entity_id', 'op', 'audience', 'user_id', 'actor_id', 'at'] as const;
    await trx.insertInto('changes').values({ entity: 'queue', entity_id: queueId, op: REVOKE_OP, audience: 'user', user_id: userId, actor_id: actorId, at: now }).execute();
    const t = common('ticket');
    await trx
      .insertInto('changes')
      .columns(cols)
      .expression((eb) =>
        eb
          .selectFrom('tickets')
          .select([t.entity.as('entity'), 'tickets.id as entity_id', t.op.as('op'), t.audience.as('audience'), t.user_id.as('user_id'), t.actor_id.as('actor_id'), t.at.as('at')])
          .where('tickets.queue_id', '=', queueId)
          .orderBy('tickets.number'),
      )
      .execute();
    const c = common('comment');
    await trx
      .insertInto('changes')
      .columns(cols)
      .expression((eb) =>
        eb
          .selectFrom('ticket_comments')
          .innerJoin('tickets', 'tickets.id', 'ticket_comments.ticket_id')
          .select([c.entity.as('entity'), 'ticket_comments.id as entity_id', c.op.as('op'), c.audience.as('audience'), c.user_id.as('user_id'), c.actor_id.as('actor_id'), c.at.as('at')])
          .where('tickets.queue_id', '=', queueId)
          .orderBy('ticket_comments.created_at'),
      )
      .execute();
  }

  private async insertMember(trx: Kysely<Database>, queueId: string, userId: string, now: number): Promise<void> {
    const user = await trx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
    if (!user) throw new AppError('unprocessable', `Unknown user ${userId}`, { field: 'userId' });
    await trx.insertInto('queue_members').values({ queue_id: queueId, user_id: userId, added_at: now }).execute();
  }

  /** Runs a queue write, then records and publishes the queue as it now is. */
  private async write(actor: Actor, fn: (trx: Kysely<Database>) => Promise<string>): Promise<Queue> {
    const [queue] = await this.writeMany(actor, async (trx) => [await fn(trx)]);
    return queue!;
  }

  /** Another domain's write that changes these queues' records (their SLA calendar): records and publishes each. */
  republish(actor: Actor, queueIds: string[], fn: (trx: Kysely<Database>) => Promise<void>): Promise<Queue[]> {
    return this.writeMany(actor, async (trx) => {
      await fn(trx);
      return queueIds;
    });
  }

  private async writeMany(actor: Actor, fn: (trx: Kysely<Database>) => Promise<string[]>): Promise<Queue[]> {
    const now = this.clock.now();
    const out = await this.db.transaction().execute(async (trx) => {
      await this.changes.lock(trx);
      const ids = await fn(trx);
      const written: { queue: Queue; seq: number }[] = [];
      for (const id of ids) {
        const queue = await this.load(trx, id);
        const seq = await this.changes.record(trx, { entity: 'queue', id, op: 'upsert', audience: { kind: 'queue', queueId: id }, data: queue, actorId: actor.id });
        written.push({ queue, seq });
      }
      return written;
    });
    for (const { queue, seq } of out) this.events.publish({ type: 'queue.updated', seq, actor: actor.id ? { id: actor.id, email: actor.email } : null, data: queue, at: now }, { kind: 'queue', queueId: queue.id });
    return out.map((o) => o.queue);
  }

  private async load(trx: Kysely<Database>, id: string): Promise<Queue> {
    const r = await trx.selectFrom('queues').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('Queue');
    const members = await trx.selectFrom('queue_members').select('user_id').where('queue_id', '=', id).orderBy('added_at').execute();
    const calendar = (await queueCalendars(trx, [id])).get(id) ?? null;
    return { id: r.id, name: r.name, description: r.description, memberIds: members.map((m) => m.user_id), slaCalendar: calendar, createdAt: r.created_at, updatedAt: r.updated_at };
  }
}
