import { z } from 'zod';
import { MetricNames, SeriesQuery, SeriesResponse } from '../metrics';
import { defineRoutes } from '../route';

export const PingResponse = z.object({ ok: z.literal(true) });

export const METRICS_ROUTES = defineRoutes('metrics', {
  'metrics.series': { method: 'GET', path: '/metrics/series', access: { role: 'oncall' }, query: SeriesQuery, response: SeriesResponse },
  'metrics.names': { method: 'GET', path: '/metrics/names', access: { role: 'oncall' }, response: MetricNames },
  // The "API" health check calls this: it proves the HTTP stack answers, without recursion into /health.
  'metrics.ping': { method: 'GET', path: '/metrics/ping', access: 'public', client: 'external', response: PingResponse, hidden: true },
});
