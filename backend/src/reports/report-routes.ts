import { REPORTS_ROUTES } from '../../../shared/api/routes/reports';
import type { Services } from '../app/services';
import { actorOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';
import { opsReportToCsv, opsReportToHtml, reportToCsv, reportToHtml } from './report-format';

/** A text answer skips the JSON Report schema's serializer. */
const asText = (x: unknown) => x as string;

export function reportRoutes(s: Pick<Services, 'guard' | 'reports' | 'reportSchedules'>) {
  return routePlugin(REPORTS_ROUTES, s.guard, {
    'reports.get': async (req, reply) => {
      const report = await s.reports.generate(req.params.type, req.query.to);
      if (req.query.format === 'csv') return reply.type('text/csv; charset=utf-8').serializer(asText).send(reportToCsv(report));
      if (req.query.format === 'html') return reply.type('text/html; charset=utf-8').serializer(asText).send(reportToHtml(report));
      return report;
    },
    'reports.range': (req) => s.reports.range(req.query),
    'reports.export': async (req) => {
      const { format, ...range } = req.query;
      const report = await s.reports.range(range);
      const name = `opsdesk-${report.period}-${new Date(report.from).toISOString().slice(0, 10)}.${format}`;
      return format === 'csv'
        ? { filename: name, contentType: 'text/csv', content: opsReportToCsv(report) }
        : { filename: name, contentType: 'text/html', content: opsReportToHtml(report) };
    },
    'reports.schedules.list': () => s.reportSchedules.list(),
    'reports.schedules.create': (req) => s.reportSchedules.create(actorOf(req), req.body),
    'reports.schedules.update': (req) => s.reportSchedules.update(actorOf(req), req.params.id, req.body),
    'reports.schedules.delete': async (req) => (await s.reportSchedules.remove(actorOf(req), req.params.id), { deleted: true as const }),
  });
}
