import { ESCALATION_ROUTES } from '../../../shared/api/routes/escalation';
import type { Services } from '../app/services';
import { actorOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';

export function escalationRoutes(s: Pick<Services, 'guard' | 'escalator'>) {
  return routePlugin(ESCALATION_ROUTES, s.guard, {
    'escalation.policy.get': () => s.escalator.policy(),
    'escalation.policy.update': (req) => s.escalator.setPolicy(actorOf(req), req.body.levels),
  });
}
