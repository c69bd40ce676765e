import { create } from 'zustand';
import type { Rule } from '../../../../shared/api/alerts';
import type { CreateScrapeTargetRequest, OverviewEntry, ScrapeTarget } from '../../../../shared/api/scrape';
import type { SeriesResponse } from '../../../../shared/ipc';
import { call, errorMessage } from '../../api';
import { loadInto, notLoaded, type Loadable } from '../../ui/loadable';

export type SortKey = 'name' | 'kind' | 'state' | 'lastCheckedAt';
const STATE_ORDER = { down: 0, warning: 1, pending: 2, paused: 3, up: 4 } as const;

interface MonitoringState {
  overview: Loadable<OverviewEntry[]>;
  targets: Loadable<ScrapeTarget[]>;
  rules: Loadable<Rule[]>;
  /** Series per metric of the dashboard open now. */
  series: Record<string, Loadable<SeriesResponse>>;
  sort: { key: SortKey; dir: 1 | -1 };
}

export const useMonitoring = create<MonitoringState>(() => ({ overview: notLoaded(), targets: notLoaded(), rules: notLoaded(), series: {}, sort: { key: 'state', dir: 1 } }));

export const loadOverview = (opts = { fresh: false }) => loadInto(useMonitoring, 'overview', () => call('api.monitoring.overview'), opts);
export const loadTargets = () => loadInto(useMonitoring, 'targets', () => call('api.scrape.targets.list'), { fresh: false });
export const loadRulesForPanels = () => loadInto(useMonitoring, 'rules', () => call('api.rules.list'), { fresh: false });

export async function addTarget(body: CreateScrapeTargetRequest): Promise<ScrapeTarget> {
  const t = await call('api.scrape.targets.create', { body });
  // Scraped at once, so the overview shows it up (or down, with the error) right away.
  await call('api.scrape.targets.scrape', { params: { id: t.id } });
  await loadOverview();
  return t;
}

export async function deleteTarget(id: string): Promise<void> {
  await call('api.scrape.targets.delete', { params: { id } });
  await loadOverview();
}

export function sortBy(key: SortKey): void {
  const { sort } = useMonitoring.getState();
  useMonitoring.setState({ sort: { key, dir: sort.key === key ? (-sort.dir as 1 | -1) : 1 } });
}

export function sorted(list: OverviewEntry[], sort: MonitoringState['sort']): OverviewEntry[] {
  const value = (e: OverviewEntry): string | number => (sort.key === 'state' ? STATE_ORDER[e.state] : sort.key === 'lastCheckedAt' ? (e.lastCheckedAt ?? 0) : e[sort.key].toLowerCase());
  return [...list].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    return (va < vb ? -1 : va > vb ? 1 : a.name.localeCompare(b.name)) * sort.dir;
  });
}

/** Loads the panels' series of one target (or probe) for the range. */
export function loadSeries(metrics: string[], labels: Record<string, string>, rangeMs: number): Promise<unknown> {
  const to = Date.now();
  const label = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return Promise.all(
    metrics.map(async (name) => {
      try {
        const data = await call('api.metrics.series', { query: { name, from: to - rangeMs, to, label } });
        useMonitoring.setState((s) => ({ series: { ...s.series, [name]: { data, error: null, loading: false } } }));
      } catch (e) {
        useMonitoring.setState((s) => ({ series: { ...s.series, [name]: { data: undefined, error: errorMessage(e), loading: false } } }));
      }
    }),
  );
}
