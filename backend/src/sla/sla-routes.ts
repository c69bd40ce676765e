import { SLA_ROUTES } from '../../../shared/api/routes/sla';
import type { Services } from '../app/services';
import { actorOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';

/** SLA targets per priority: everyone reads them, admins change them. */
export function slaRoutes(s: Pick<Services, 'guard' | 'sla'>) {
  return routePlugin(SLA_ROUTES, s.guard, {
    'sla.policies.list': () => s.sla.list(),
    'sla.policies.update': (req) => s.sla.update(actorOf(req), req.params.priority, req.body),
  });
}
