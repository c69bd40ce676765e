import { METRICS_ROUTES } from '../../../shared/api/routes/metrics';
import type { Services } from '../app/services';
import { routePlugin } from '../platform/http/route-table';

export function metricsRoutes(s: Pick<Services, 'guard' | 'metricStore'>) {
  return routePlugin(METRICS_ROUTES, s.guard, {
    'metrics.series': (req) => s.metricStore.series(req.query),
    'metrics.names': () => s.metricStore.names(),
    'metrics.ping': () => ({ ok: true as const }),
  });
}
