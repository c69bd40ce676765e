import { useEffect, useMemo, useState } from 'react';
import type { ChartConfiguration } from 'chart.js';
import { useStore } from 'zustand';
import { ChartCanvas } from './ChartCanvas';
import { colorsNow, lineConfig, PANELS, RANGES, slaConfig, volumeConfig, type RangeKey } from './charts';
import { loadDashboard, openDashboard, seriesStore, setRange, useDashboard } from './slice';
import { thresholdsFor } from '../monitoring/panels';
import { loadRulesForPanels, useMonitoring } from '../monitoring/slice';

function Loading() {
  return (
    <div className="state" role="status">
      <span className="spinner" aria-hidden /> Loading…
    </div>
  );
}

export default function Dashboard() {
  const range = useDashboard((s) => s.range);
  const [theme, setTheme] = useState(document.documentElement.dataset.theme);
  useEffect(() => {
    void openDashboard();
    // Threshold lines come from the rules (an agent, who cannot read rules, sees the manuals' defaults).
    void loadRulesForPanels();
  }, []);
  useEffect(() => {
    const t = setInterval(() => void loadDashboard(), range === '1h' ? 15_000 : 60_000);
    return () => clearInterval(t);
  }, [range]);
  useEffect(() => {
    const mo = new MutationObserver(() => setTheme(document.documentElement.dataset.theme));
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => mo.disconnect();
  }, []);
  return (
    <section aria-labelledby="dash-title">
      <div className="page-head">
        <h1 id="dash-title">Dashboard</h1>
        <div className="row" role="radiogroup" aria-label="Range">
          {(Object.keys(RANGES) as RangeKey[]).map((r) => (
            <button
              key={r}
              role="radio"
              aria-checked={range === r}
              className={range === r ? 'primary' : ''}
              onClick={() => void setRange(r)}
            >
              {r}
            </button>
          ))}
        </div>
        <span className="muted">Live: refreshes every {range === '1h' ? '15 s' : 'minute'}</span>
      </div>
      <div className="charts">
        {PANELS.map((p) => (
          <MetricPanel key={p.metric} panel={p} range={range} theme={theme} />
        ))}
        <TicketPanels range={range} theme={theme} />
      </div>
    </section>
  );
}

function MetricPanel({
  panel,
  range,
  theme,
}: {
  panel: (typeof PANELS)[number];
  range: RangeKey;
  theme?: string;
}) {
  const res = useStore(seriesStore(panel.metric), (s) => s.series);
  const data = res.data;
  const rules = useMonitoring((s) => s.rules.data);
  const lines = useMemo(() => {
    if (!rules) return panel;
    const th = thresholdsFor({ ...panel, scale: 1 }, rules, {});
    return { ...panel, warn: th.warn, crit: th.crit };
  }, [rules, panel]);
  // Recomputed for a new answer or a theme switch (the colours come from the theme's CSS variables).
  const config = useMemo(
    () => (data ? (lineConfig(data, lines, RANGES[range], colorsNow()) as ChartConfiguration) : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [data, lines, range, theme],
  );
  const empty = !!data && data.series.every((s) => s.points.length === 0);
  return (
    <figure className="chart-card" style={{ margin: 0 }} aria-labelledby={`ch-${panel.metric}`}>
      <h3 id={`ch-${panel.metric}`}>
        {panel.title} <span className="muted">({panel.unit})</span>
      </h3>
      {res.error && <div className="state error">{res.error}</div>}
      {!res.error && !config && <Loading />}
      {!res.error && empty && (
        <p className="muted" style={{ margin: 0 }}>
          No samples in this range yet.
        </p>
      )}
      {!res.error && config && (
        <div className="canvas-wrap">
          <ChartCanvas config={config} label={`${panel.title} over the last ${range}`} />
        </div>
      )}
    </figure>
  );
}

/** Ticket volume and SLA compliance per day (weekly for 90 d), from the server's reports. */
function TicketPanels({ range, theme }: { range: RangeKey; theme?: string }) {
  const { data: reports, error } = useDashboard((s) => s.reports);
  const c = colorsNow();
  const panels: [string, ChartConfiguration | null][] = [
    ['Ticket volume', reports ? volumeConfig(reports, c) : null],
    ['SLA compliance', reports ? slaConfig(reports, c) : null],
  ];
  const note = reports?.find((r) => !r.tickets.available)?.tickets.note;
  return (
    <>
      {panels.map(([title, cfg]) => (
        <figure key={title} className="chart-card" style={{ margin: 0 }}>
          <h3>
            {title} <span className="muted">({range === '90d' ? 'per week' : 'per day'})</span>
          </h3>
          {error && <div className="state error">{error}</div>}
          {!error && !reports && <Loading />}
          {note && (
            <p className="muted" style={{ margin: 0 }}>
              {note}
            </p>
          )}
          {cfg && (
            <div className="canvas-wrap">
              <ChartCanvas config={cfg} label={title} key={`${theme}`} />
            </div>
          )}
        </figure>
      ))}
    </>
  );
}
