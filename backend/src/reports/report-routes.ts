import { REPORTS_ROUTES } from '../../../shared/api/routes/reports';
import type { Services } from '../app/services';
import { routePlugin } from '../platform/http/route-table';
import { reportToCsv, reportToHtml } from './report-service';

/** A text answer skips the JSON Report schema's serializer. */
const asText = (x: unknown) => x as string;

export function reportRoutes(s: Pick<Services, 'guard' | 'reports'>) {
  return routePlugin(REPORTS_ROUTES, s.guard, {
    'reports.get': async (req, reply) => {
      const report = await s.reports.generate(req.params.type, req.query.to);
      if (req.query.format === 'csv') return reply.type('text/csv; charset=utf-8').serializer(asText).send(reportToCsv(report));
      if (req.query.format === 'html') return reply.type('text/html; charset=utf-8').serializer(asText).send(reportToHtml(report));
      return report;
    },
  });
}
