import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ReportQuery, ReportType } from '../../../shared/api/reports';
import type { AppContext } from '../context';
import { reportToCsv, reportToHtml } from './report-service';

export function reportRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/reports/:type',
      { preHandler: ctx.guard({ role: 'oncall' }), schema: { tags: ['reports'], params: z.object({ type: ReportType }), querystring: ReportQuery, description: 'daily or weekly; ?format=json|csv|html' } },
      async (req, reply) => {
        const report = await ctx.monitoring.reports.generate(req.params.type, req.query.to);
        if (req.query.format === 'csv') return reply.type('text/csv; charset=utf-8').send(reportToCsv(report));
        if (req.query.format === 'html') return reply.type('text/html; charset=utf-8').send(reportToHtml(report));
        return report;
      },
    );
  };
}
