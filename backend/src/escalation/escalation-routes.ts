import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { EscalationPolicy } from '../../../shared/api/alerts';
import type { AppContext } from '../context';
import { actorOf } from '../http/guards';

export function escalationRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const e = ctx.monitoring.escalator;
    const tags = ['escalation'];
    app.get('/escalation-policy', { preHandler: ctx.guard({ role: 'oncall' }), schema: { tags, response: { 200: EscalationPolicy } } }, () => e.policy());
    app.put('/escalation-policy', { preHandler: ctx.guard({ role: 'admin' }), schema: { tags, body: EscalationPolicy, response: { 200: EscalationPolicy } } }, (req) =>
      e.setPolicy(actorOf(req), req.body.levels),
    );
  };
}
