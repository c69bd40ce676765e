import { useEffect, useMemo, useState } from 'react';
import type { ChartConfiguration } from 'chart.js';
import type { SeriesResponse } from '../../../../shared/ipc';
import { ChartCanvas } from '../dashboard/ChartCanvas';
import { colorsNow, lineConfig, RANGES, type RangeKey } from '../dashboard/charts';
import { navigate } from '../shell/ui';
import { panelsFor, thresholdsFor, type TargetPanel } from './panels';
import { loadRulesForPanels, loadSeries, loadTargets, useMonitoring } from './slice';

const PROBE_PANELS: TargetPanel[] = [
  { metric: 'probe_success', title: 'Uptime (success)', unit: '%', scale: 100 },
  { metric: 'probe_duration_seconds', title: 'Latency', unit: 's', scale: 1 },
];

function scaled(data: SeriesResponse, k: number): SeriesResponse {
  if (k === 1) return data;
  return { ...data, series: data.series.map((s) => ({ ...s, points: s.points.map(([t, a, mn, mx]) => [t, a * k, mn * k, mx * k] as [number, number, number, number]) })) };
}

function Panel({ panel, labels, range }: { panel: TargetPanel; labels: Record<string, string>; range: RangeKey }) {
  const res = useMonitoring((s) => s.series[panel.metric]);
  const data = res?.data;
  const rules = useMonitoring((s) => s.rules.data);
  const th = useMemo(() => thresholdsFor(panel, rules ?? [], labels), [panel, rules, labels]);
  const config = useMemo(() => (data ? (lineConfig(scaled(data, panel.scale), { ...panel, ...th }, RANGES[range], colorsNow()) as ChartConfiguration) : null), [data, panel, th, range]);
  const empty = !!data && data.series.every((s) => s.points.length === 0);
  return (
    <figure className="chart-card" style={{ margin: 0 }} data-panel={panel.metric}>
      <h3>
        {panel.title} {panel.unit && <span className="muted">({panel.unit})</span>}
        {th.rule && <span className="muted"> · lines from “{th.rule}”</span>}
      </h3>
      {res?.error && <div className="state error">{res.error}</div>}
      {empty && <p className="muted">No samples in this range yet.</p>}
      {config && !empty && (
        <div className="canvas-wrap">
          <ChartCanvas config={config} label={`${panel.title} over the last ${range}`} />
        </div>
      )}
    </figure>
  );
}

/** One target's (or probe's) panels over a range, threshold lines from the rules that apply; refreshed every interval. */
export function TargetDashboard({ targetId, probe }: { targetId?: string; probe?: string }) {
  const targets = useMonitoring((s) => s.targets.data);
  const [range, setRange] = useState<RangeKey>('1h');
  useEffect(() => {
    void loadTargets();
    void loadRulesForPanels();
  }, []);
  const target = targets?.find((t) => t.id === targetId);
  const labels = useMemo((): Record<string, string> | null => {
    if (probe) return { probe };
    return target ? { job: target.job, instance: target.instance } : null;
  }, [probe, target]);
  const panels = probe ? PROBE_PANELS : target ? panelsFor(target.job) : [];
  const intervalMs = probe ? 30_000 : (target?.intervalSeconds ?? 15) * 1000;
  useEffect(() => {
    if (!labels) return;
    const load = () => void loadSeries(panels.map((p) => p.metric), labels, RANGES[range]);
    load();
    // Fresh data within one interval.
    const t = setInterval(load, intervalMs);
    return () => clearInterval(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [labels, range, intervalMs]);
  if (!labels) return <div className="state">{targets ? 'This target no longer exists.' : 'Loading…'}</div>;
  return (
    <section aria-labelledby="target-title">
      <div className="page-head">
        <button onClick={() => navigate({ screen: 'monitoring' })}>← Overview</button>
        <h1 id="target-title">{probe ? `Probe ${probe}` : `${target!.job} · ${target!.instance}`}</h1>
        <div className="row" role="radiogroup" aria-label="Range">
          {(Object.keys(RANGES) as RangeKey[]).map((r) => (
            <button key={r} role="radio" aria-checked={range === r} className={range === r ? 'primary' : ''} onClick={() => setRange(r)}>
              {r}
            </button>
          ))}
        </div>
        <span className="muted">refreshes every {intervalMs / 1000} s</span>
      </div>
      {target?.lastError && <div className="state error">Last scrape failed: {target.lastError}</div>}
      <div className="charts">
        {panels.map((p) => (
          <Panel key={p.metric} panel={p} labels={labels} range={range} />
        ))}
      </div>
    </section>
  );
}
