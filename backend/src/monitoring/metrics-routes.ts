import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MetricNames, SeriesQuery, SeriesResponse } from '../../../shared/api/metrics';
import type { AppContext } from '../context';

export function metricsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const store = ctx.monitoring.store;
    const read = ctx.guard({ role: 'oncall' });
    const tags = ['metrics'];
    app.get('/metrics/series', { preHandler: read, schema: { tags, querystring: SeriesQuery, response: { 200: SeriesResponse } } }, (req) => store.series(req.query));
    app.get('/metrics/names', { preHandler: read, schema: { tags, response: { 200: MetricNames } } }, () => store.names());
    // The "API" health check calls this: it proves the HTTP stack answers, without recursion into /health.
    app.get('/metrics/ping', { schema: { hide: true } }, async () => ({ ok: true }));
  };
}
