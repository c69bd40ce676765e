import type { Alert } from '../../../shared/api/alerts';
import type { OverviewEntry } from '../../../shared/api/scrape';
import type { Services } from '../app/services';

type Deps = Pick<Services, 'scrapeTargets' | 'probes' | 'alerts' | 'health'>;

/** Open alerts per key: `job instance` for a target's series, the probe name for a probe's. */
function alertCounts(open: Alert[]): { targets: Map<string, number>; probes: Map<string, number> } {
  const targets = new Map<string, number>();
  const probes = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const a of open) {
    if (a.labels.job && a.labels.instance) bump(targets, `${a.labels.job} ${a.labels.instance}`);
    if (a.labels.probe) bump(probes, a.labels.probe);
  }
  return { targets, probes };
}

/**
 * The monitoring overview: every scrape target, probe and health check with its state. A target or
 * probe that is up but has an open alert is `warning`; a health check's last failure stays visible
 * (message and time) after it recovers.
 */
export async function monitoringOverview(d: Deps): Promise<OverviewEntry[]> {
  const [targets, probes, open] = await Promise.all([d.scrapeTargets.list(), d.probes.list(), d.alerts.openAlerts()]);
  const counts = alertCounts(open);
  const withAlerts = (state: OverviewEntry['state'], n: number): OverviewEntry['state'] => (state === 'up' && n > 0 ? 'warning' : state);
  const out: OverviewEntry[] = [];
  for (const t of targets) {
    const n = counts.targets.get(`${t.job} ${t.instance}`) ?? 0;
    const detail = `${t.job} · ${t.instance}${t.lastSamples !== null ? ` · ${t.lastSamples} samples` : ''}`;
    out.push({ kind: 'target', id: t.id, name: `${t.job}/${t.instance}`, state: withAlerts(t.state, n), detail, lastError: t.lastError, lastErrorAt: t.lastError ? t.lastScrapeAt : null, lastCheckedAt: t.lastScrapeAt, openAlerts: n });
  }
  for (const p of probes) {
    const n = counts.probes.get(p.name) ?? 0;
    const detail = `${p.kind.toUpperCase()} · ${p.target}${p.lastLatencyMs !== null ? ` · ${Math.round(p.lastLatencyMs)} ms` : ''}`;
    out.push({ kind: 'probe', id: p.id, name: p.name, state: withAlerts(p.state, n), detail, lastError: p.lastError, lastErrorAt: p.lastError ? p.lastCheckedAt : null, lastCheckedAt: p.lastCheckedAt, openAlerts: n });
  }
  const last = d.health.last() ?? { at: Date.now(), report: await d.health.run() };
  for (const c of last.report.checks) {
    const failure = d.health.lastError(c.name);
    const state = c.status === 'down' ? 'down' : c.status === 'degraded' ? 'warning' : 'up';
    out.push({ kind: 'health', id: c.name, name: `health: ${c.name}`, state, detail: c.message ?? `${c.latencyMs} ms`, lastError: failure?.message ?? null, lastErrorAt: failure?.at ?? null, lastCheckedAt: last.at, openAlerts: 0 });
  }
  return out;
}
