import { create } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Report } from '../../../../shared/api/reports';
import type { SeriesResponse } from '../../../../shared/ipc';
import { call } from '../../api';
import { loadInto, notLoaded, type Loadable } from '../../ui/loadable';
import { PANELS, RANGES, type RangeKey } from './charts';

interface DashboardState {
  range: RangeKey;
  /** The daily (weekly for 90 d) reports behind the ticket panels, oldest first. */
  reports: Loadable<Report[]>;
}

export const useDashboard = create<DashboardState>(() => ({
  range: '24h',
  reports: notLoaded(),
}));

/** Each metric panel's series lives in its own small store, so a panel re-renders only for its own data. */
const seriesStores = new Map<string, StoreApi<{ series: Loadable<SeriesResponse> }>>();
export function seriesStore(metric: string): StoreApi<{ series: Loadable<SeriesResponse> }> {
  let store = seriesStores.get(metric);
  if (!store)
    seriesStores.set(metric, (store = createStore(() => ({ series: notLoaded<SeriesResponse>() }))));
  return store;
}

function loadReports(range: RangeKey, fresh: boolean): Promise<void> {
  const weekly = range === '90d';
  const n = weekly ? 13 : 7;
  const step = weekly ? 7 * 86_400_000 : 86_400_000;
  const now = Date.now();
  return loadInto(
    useDashboard,
    'reports',
    () =>
      Promise.all(
        Array.from({ length: n }, (_, i) =>
          call('api.reports.get', {
            params: { type: weekly ? 'weekly' : 'daily' },
            query: { to: now - (n - 1 - i) * step },
          }),
        ),
      ),
    { fresh },
  );
}

/** Reads every panel for the current range; `fresh` when the screen opens (no last visit's charts). */
export function loadDashboard({ fresh = false } = {}): Promise<unknown> {
  const { range } = useDashboard.getState();
  const to = Date.now();
  return Promise.all([
    ...PANELS.map((p) =>
      loadInto(
        seriesStore(p.metric),
        'series',
        () => call('api.metrics.series', { query: { name: p.metric, from: to - RANGES[range], to } }),
        { fresh },
      ),
    ),
    loadReports(range, fresh),
  ]);
}

/** The screen opens on the last 24 hours, without the last visit's charts. */
export function openDashboard(): Promise<unknown> {
  useDashboard.setState({ range: '24h' });
  return loadDashboard({ fresh: true });
}

export function setRange(range: RangeKey): Promise<unknown> {
  useDashboard.setState({ range });
  return loadDashboard();
}
