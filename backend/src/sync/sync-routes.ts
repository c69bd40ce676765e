import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Id } from '../../../shared/api/common';
import { SyncPage, SyncQuery } from '../../../shared/api/sync';
import type { AppContext } from '../context';
import { notFound } from '../http/errors';
import { principalOf } from '../http/guards';

const SyncChangesQuery = SyncQuery.extend({
  /** Backfill one queue from `since` (a member who just joined it pulls `queue=<id>&since=0`). */
  queue: Id.optional(),
});

/**
 * Delta sync: every change the caller may see after `since`, in commit order, with tombstones for
 * deletes and for records that left the caller's queues; page until `done`, then keep `nextCursor`.
 */
export function syncRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/sync/changes',
      { preHandler: ctx.guard({ role: 'agent', scope: 'read' }), schema: { tags: ['sync'], querystring: SyncChangesQuery, response: { 200: SyncPage } } },
      async (req, reply) => {
        const principal = principalOf(req);
        const queueIds = principal.role === 'agent' ? await ctx.helpdesk.access.memberships(principal.userId) : [];
        const { since, limit, queue } = req.query;
        if (queue !== undefined && principal.role === 'agent' && !queueIds.includes(queue)) throw notFound('Queue');
        const body = await ctx.changes.readJson(principal, queueIds, since, limit, queue !== undefined ? { onlyQueue: queue } : {});
        // Already a serialized SyncPage (see ChangeFeed.readJson); a JSON string is sent as it is.
        return reply.header('content-type', 'application/json; charset=utf-8').send(body as unknown as SyncPage);
      },
    );
  };
}
