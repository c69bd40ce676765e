import { SERVICE_ROUTES } from '../../../shared/api/routes/services';
import type { Services } from '../app/services';
import { routePlugin } from '../platform/http/route-table';
import { requesterOf } from '../jobs/requester';

/** Managed services: status; restart and scale are runbook jobs (with their role and confirmation checks). */
export function serviceRoutes(s: Pick<Services, 'guard' | 'serviceManager' | 'jobs'>) {
  return routePlugin(SERVICE_ROUTES, s.guard, {
    'services.list': () => s.serviceManager.statusAll(),
    'services.get': (req) => s.serviceManager.status(req.params.name),
    'services.logs': (req) => s.serviceManager.logs(req.params.name, req.query.lines),
    'services.restart': (req) => s.jobs.request(requesterOf(req), { runbook: 'restart-service', params: { service: req.params.name } }),
    'services.scale': (req) =>
      s.jobs.request(requesterOf(req), { runbook: 'scale-service', params: { service: req.params.name, replicas: req.body.replicas }, confirmation: req.body.confirmation }),
  });
}
