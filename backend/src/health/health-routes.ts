import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HealthReport, Liveness } from '../../../shared/api/health';
import type { Services } from '../app/services';
import { checkMetricsToken } from './metrics-access';

/**
 * `/health/` (the manuals' path: every check), `/readyz` (the same checks as a load balancer's
 * readiness probe: 503 while a dependency is down), `/livez` (the process answers; touches nothing,
 * so a database outage never gets the process restarted) and `/metrics` for Prometheus;
 * unauthenticated, as probes and scrapers expect, except `/metrics` when METRICS_TOKEN is set.
 */
export function healthRoutes(ctx: Pick<Services, 'health' | 'metrics' | 'config'>): FastifyPluginAsyncZod {
  return async (app) => {
    for (const url of ['/health/', '/health']) {
      app.get(url, { schema: { tags: ['health'], hide: url === '/health', response: { 200: HealthReport, 503: HealthReport } } }, async (_req, reply) => {
        const report = await ctx.health.run();
        return reply.code(report.status === 'down' ? 503 : 200).send(report);
      });
    }
    app.get('/readyz', { schema: { tags: ['health'], response: { 200: HealthReport, 503: HealthReport } } }, async (_req, reply) => {
      const report = await ctx.health.run();
      return reply.code(report.status === 'down' ? 503 : 200).send(report);
    });
    app.get('/livez', { schema: { tags: ['health'], response: { 200: Liveness } } }, async () => ({ status: 'ok' as const, uptimeSeconds: ctx.health.uptimeSeconds() }));

    app.get('/metrics', { schema: { hide: true }, onRequest: async (req) => checkMetricsToken(ctx.config.METRICS_TOKEN, req) }, async (_req, reply) => {
      return reply.header('content-type', ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
    });
  };
}
