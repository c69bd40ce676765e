import type { Services } from '../app/services';
import type { ServiceSpec } from '../../../shared/api/services';

/** How often the scrape loop looks for due targets; each target runs on its own interval. */
export const SCRAPE_TICK_MS = 1000;

/**
 * The scrape domain's background work: at start the SERVICES_FILE targets are synced; a round every
 * second starts the due scrapes (at most SCRAPE_CONCURRENCY at once). Once per deployment, like the
 * probes: several instances would each scrape every exporter.
 */
export function registerScrapes(s: Pick<Services, 'config' | 'lifecycle' | 'scrapeTargets' | 'scrapeRunner'>, declared: ServiceSpec[]): void {
  s.lifecycle.onStart('scrape.sync-services', async () => {
    await s.scrapeTargets.syncDeclared(declared);
  });
  s.lifecycle.onStop('scrape.drain', () => s.scrapeRunner.idle());
  if (!s.config.MONITORING_LOOPS) return;
  s.lifecycle.every('scrape', SCRAPE_TICK_MS, () => s.scrapeRunner.dispatch(), { immediate: true, once: true });
}
