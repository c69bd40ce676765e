import { RULES_ROUTES } from '../../../shared/api/routes/rules';
import type { Services } from '../app/services';
import { actorOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';

export function ruleRoutes(s: Pick<Services, 'guard' | 'rules' | 'evaluator'>) {
  return routePlugin(RULES_ROUTES, s.guard, {
    'rules.list': () => s.rules.list(),
    'rules.get': (req) => s.rules.get(req.params.id),
    'rules.create': (req) => s.rules.create(actorOf(req), req.body),
    'rules.update': (req) => s.rules.update(actorOf(req), req.params.id, req.body),
    'rules.delete': async (req) => {
      await s.rules.remove(actorOf(req), req.params.id);
    },
    'rules.preview': (req) => s.evaluator.preview({ ...req.body, labels: req.body.labels ?? {} }),
    'rules.history': (req) => s.rules.history(req.params.id, req.query.limit),
  });
}
