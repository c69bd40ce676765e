import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams } from '../../../shared/api/common';
import { ApiTokenInfo, CreateApiTokenRequest, CreatedApiToken } from '../../../shared/api/users';
import type { AppContext } from '../context';
import { actorOf } from '../http/guards';

export function apiTokenRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const admin = ctx.guard({ role: 'admin' });
    app.get('/api-tokens', { preHandler: admin, schema: { tags: ['api-tokens'], response: { 200: z.array(ApiTokenInfo) } } }, () => ctx.apiTokens.list());
    app.post('/api-tokens', { preHandler: admin, schema: { tags: ['api-tokens'], body: CreateApiTokenRequest, response: { 201: CreatedApiToken } } }, async (req, reply) =>
      reply.code(201).send(await ctx.apiTokens.create(actorOf(req), req.body)),
    );
    app.delete('/api-tokens/:id', { preHandler: admin, schema: { tags: ['api-tokens'], params: IdParams } }, async (req, reply) => {
      await ctx.apiTokens.revoke(actorOf(req), req.params.id);
      return reply.code(204).send();
    });
  };
}
