import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams } from '../../../shared/api/common';
import { AddQueueMemberRequest, CreateQueueRequest, Queue, QueueMemberParams, UpdateQueueRequest } from '../../../shared/api/queues';
import type { AppContext } from '../context';
import { actorOf, principalOf } from '../http/guards';

/** Queues: agents list theirs, admins manage queues and members. */
export function queueRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const queues = ctx.helpdesk.queues;
  return async (app) => {
    const agent = ctx.guard({ role: 'agent' });
    const admin = ctx.guard({ role: 'admin' });
    const tags = ['queues'];
    app.get('/queues', { preHandler: agent, schema: { tags, response: { 200: z.array(Queue) } } }, (req) => queues.list(principalOf(req)));
    app.get('/queues/:id', { preHandler: agent, schema: { tags, params: IdParams, response: { 200: Queue } } }, (req) => queues.get(principalOf(req), req.params.id));
    app.post('/queues', { preHandler: admin, schema: { tags, body: CreateQueueRequest, response: { 201: Queue } } }, async (req, reply) =>
      reply.code(201).send(await queues.create(actorOf(req), req.body)),
    );
    app.patch('/queues/:id', { preHandler: admin, schema: { tags, params: IdParams, body: UpdateQueueRequest, response: { 200: Queue } } }, (req) =>
      queues.update(actorOf(req), req.params.id, req.body),
    );
    app.post('/queues/:id/members', { preHandler: admin, schema: { tags, params: IdParams, body: AddQueueMemberRequest, response: { 200: Queue } } }, (req) =>
      queues.addMember(actorOf(req), req.params.id, req.body.userId),
    );
    app.delete('/queues/:id/members/:userId', { preHandler: admin, schema: { tags, params: QueueMemberParams, response: { 200: Queue } } }, (req) =>
      queues.removeMember(actorOf(req), req.params.id, req.params.userId),
    );
  };
}
