import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CreateSilenceRequest, Silence, SilenceQuery } from '../../../shared/api/alerts';
import { IdParams } from '../../../shared/api/common';
import type { AppContext } from '../context';
import { actorOf } from '../http/guards';

export function silenceRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const s = ctx.monitoring.silences;
    const oncall = ctx.guard({ role: 'oncall' });
    const tags = ['silences'];
    app.get('/silences', { preHandler: oncall, schema: { tags, querystring: SilenceQuery, response: { 200: z.array(Silence) } } }, (req) => s.list(req.query.state));
    app.post('/silences', { preHandler: oncall, schema: { tags, body: CreateSilenceRequest, response: { 201: Silence } } }, async (req, reply) =>
      reply.code(201).send(await s.create(actorOf(req), req.body)),
    );
    app.get('/silences/:id', { preHandler: oncall, schema: { tags, params: IdParams, response: { 200: Silence } } }, (req) => s.get(req.params.id));
    app.delete('/silences/:id', { preHandler: oncall, schema: { tags, params: IdParams, response: { 200: Silence } } }, (req) => s.expire(actorOf(req), req.params.id));
  };
}
