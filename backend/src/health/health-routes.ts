import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HealthReport } from '../../../shared/api/health';
import type { Services } from '../app/services';
import { checkMetricsToken } from './metrics-access';

/** `/health/` (the manuals' path) and `/metrics` for Prometheus; unauthenticated unless METRICS_TOKEN is set. */
export function healthRoutes(ctx: Pick<Services, 'health' | 'metrics' | 'config'>): FastifyPluginAsyncZod {
  return async (app) => {
    for (const url of ['/health/', '/health']) {
      app.get(url, { schema: { tags: ['health'], hide: url === '/health', response: { 200: HealthReport, 503: HealthReport } } }, async (_req, reply) => {
        const report = await ctx.health.run();
        return reply.code(report.status === 'down' ? 503 : 200).send(report);
      });
    }

    app.get('/metrics', { schema: { hide: true }, onRequest: async (req) => checkMetricsToken(ctx.config.METRICS_TOKEN, req) }, async (_req, reply) => {
      return reply.header('content-type', ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
    });
  };
}
