import { PROBES_ROUTES } from '../../../shared/api/routes/probes';
import type { Services } from '../app/services';
import { actorOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';

export function probeRoutes(s: Pick<Services, 'guard' | 'probes' | 'probeRunner'>) {
  return routePlugin(PROBES_ROUTES, s.guard, {
    'probes.list': () => s.probes.list(),
    'probes.get': (req) => s.probes.get(req.params.id),
    'probes.create': (req) => s.probes.create(actorOf(req), req.body),
    'probes.update': (req) => s.probes.update(actorOf(req), req.params.id, req.body),
    'probes.delete': async (req) => {
      await s.probes.remove(actorOf(req), req.params.id);
    },
    'probes.pause': (req) => s.probes.update(actorOf(req), req.params.id, { paused: true }),
    'probes.resume': (req) => s.probes.update(actorOf(req), req.params.id, { paused: false }),
    'probes.check': (req) => s.probeRunner.runNow(req.params.id),
    'probes.results': (req) => s.probes.results(req.params.id, req.query.limit),
  });
}
