import { SCRAPE_ROUTES } from '../../../shared/api/routes/scrape';
import type { Services } from '../app/services';
import { actorOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';
import { monitoringOverview } from './overview';

export function scrapeRoutes(s: Pick<Services, 'guard' | 'scrapeTargets' | 'scrapeRunner' | 'probes' | 'alerts' | 'health'>) {
  return routePlugin(SCRAPE_ROUTES, s.guard, {
    'scrape.targets.list': () => s.scrapeTargets.list(),
    'scrape.targets.get': (req) => s.scrapeTargets.get(req.params.id),
    'scrape.targets.create': (req) => s.scrapeTargets.create(actorOf(req), { ...req.body, paused: req.body.paused ?? false } as Parameters<Services['scrapeTargets']['create']>[1]),
    'scrape.targets.update': (req) => s.scrapeTargets.update(actorOf(req), req.params.id, req.body),
    'scrape.targets.delete': async (req) => {
      await s.scrapeTargets.remove(actorOf(req), req.params.id);
    },
    'monitoring.overview': () => monitoringOverview(s),
    'scrape.targets.scrape': (req) => s.scrapeRunner.runNow(req.params.id),
  });
}
