import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AuditPage, AuditQuery } from '../../../shared/api/audit';
import type { AppContext } from '../context';

export function auditRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/audit', { preHandler: ctx.guard({ role: 'admin' }), schema: { tags: ['audit'], querystring: AuditQuery, response: { 200: AuditPage } } }, (req) =>
      ctx.audit.list(req.query),
    );
  };
}
