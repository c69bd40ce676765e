import type { ServerMetrics } from '../platform/prometheus';

/** Cumulative HTTP request, 5xx and latency totals from the server's own metrics. */
export async function httpSnapshot(ctx: { metrics: ServerMetrics }): Promise<{ requests: number; errors: number; durationSum: number }> {
  const sum = async (metric: { get(): Promise<{ values: { value: number; metricName?: string }[] }> }, name?: string) =>
    (await metric.get()).values.filter((v) => !name || v.metricName === name).reduce((a, v) => a + v.value, 0);
  const m = ctx.metrics as unknown as Record<string, { get(): Promise<{ values: { value: number; metricName?: string }[] }> }>;
  return {
    requests: await sum(m.httpRequests!),
    errors: await sum(m.httpErrors!),
    durationSum: await sum(m.httpDuration!, 'opsdesk_http_request_duration_seconds_sum').catch(() => 0),
  };
}
