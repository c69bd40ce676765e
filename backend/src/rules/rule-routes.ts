import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CreateRuleRequest, Rule, UpdateRuleRequest } from '../../../shared/api/alerts';
import { IdParams } from '../../../shared/api/common';
import type { AppContext } from '../context';
import { actorOf } from '../http/guards';

export function ruleRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const r = ctx.monitoring.rules;
    const oncall = ctx.guard({ role: 'oncall' });
    const admin = ctx.guard({ role: 'admin' });
    const tags = ['rules'];
    app.get('/rules', { preHandler: oncall, schema: { tags, response: { 200: z.array(Rule) } } }, () => r.list());
    app.get('/rules/:id', { preHandler: oncall, schema: { tags, params: IdParams, response: { 200: Rule } } }, (req) => r.get(req.params.id));
    app.post('/rules', { preHandler: admin, schema: { tags, body: CreateRuleRequest, response: { 201: Rule } } }, async (req, reply) => reply.code(201).send(await r.create(actorOf(req), req.body)));
    app.patch('/rules/:id', { preHandler: admin, schema: { tags, params: IdParams, body: UpdateRuleRequest, response: { 200: Rule } } }, (req) => r.update(actorOf(req), req.params.id, req.body));
    app.delete('/rules/:id', { preHandler: admin, schema: { tags, params: IdParams } }, async (req, reply) => {
      await r.remove(actorOf(req), req.params.id);
      return reply.code(204).send();
    });
  };
}
