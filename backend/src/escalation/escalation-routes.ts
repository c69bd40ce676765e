import { ESCALATION_ROUTES } from '../../../shared/api/routes/escalation';
import type { Services } from '../app/services';
import { actorOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';

export function escalationRoutes(s: Pick<Services, 'guard' | 'escalator' | 'policies' | 'pager'>) {
  return routePlugin(ESCALATION_ROUTES, s.guard, {
    'escalation.policy.get': () => s.escalator.policy(),
    'escalation.policy.update': (req) => s.escalator.setPolicy(actorOf(req), req.body.levels),
    'escalation.policies.list': () => s.policies.list(),
    'escalation.policies.create': (req) => s.policies.save(actorOf(req), null, req.body),
    'escalation.policies.get': (req) => s.policies.get(req.params.id),
    'escalation.policies.update': (req) => s.policies.save(actorOf(req), req.params.id, req.body),
    'escalation.policies.delete': (req) => s.policies.remove(actorOf(req), req.params.id),
    'escalation.policies.preview': async (req) => s.pager.preview(await s.policies.get(req.params.id)),
  });
}
