import type { Services } from '../app/services';

/** How often the probes loop looks for due probes; each probe runs on its own interval. */
export const PROBE_TICK_MS = 1000;

/**
 * The probes' background work on the server's lifecycle: a round every second starts the due
 * probes (at most PROBE_CONCURRENCY at once, never one still running); stopping waits for checks
 * in flight. With MONITORING_LOOPS=false tests drive `probeRunner.runDue()` themselves.
 */
export function registerProbes(s: Pick<Services, 'config' | 'lifecycle' | 'probeRunner'>): void {
  s.lifecycle.onStop('probes.drain', () => s.probeRunner.idle());
  if (!s.config.MONITORING_LOOPS) return;
  // Once per deployment: the leader probes (several instances would each hit the targets and raise alerts).
  s.lifecycle.every('probes', PROBE_TICK_MS, () => s.probeRunner.dispatch(), { immediate: true, once: true });
}
