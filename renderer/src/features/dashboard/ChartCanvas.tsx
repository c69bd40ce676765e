import { useEffect, useRef } from 'react';
import { Chart, type ChartConfiguration } from 'chart.js';

export function ChartCanvas({ config, label }: { config: ChartConfiguration | null; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);
  useEffect(() => {
    if (!ref.current || !config) return;
    chart.current?.destroy();
    chart.current = new Chart(ref.current, config);
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [config]);
  return <canvas ref={ref} role="img" aria-label={label} data-testid="chart" />;
}
