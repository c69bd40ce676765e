import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PriorityParams, SlaPolicy, UpdateSlaPolicyRequest } from '../../../shared/api/tickets';
import type { AppContext } from '../context';
import { actorOf } from '../http/guards';

/** SLA targets per priority: everyone reads them, admins change them. */
export function slaRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const sla = ctx.helpdesk.sla;
  return async (app) => {
    const tags = ['sla'];
    app.get('/sla/policies', { preHandler: ctx.guard({ role: 'agent' }), schema: { tags, response: { 200: z.array(SlaPolicy) } } }, () => sla.list());
    app.put(
      '/sla/policies/:priority',
      { preHandler: ctx.guard({ role: 'admin' }), schema: { tags, params: PriorityParams, body: UpdateSlaPolicyRequest, response: { 200: SlaPolicy } } },
      (req) => sla.update(actorOf(req), req.params.priority, req.body),
    );
  };
}
