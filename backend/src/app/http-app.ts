import { randomUUID } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { apiTokenRoutes } from '../api-tokens/api-token-routes';
import { auditRoutes } from '../audit/audit-routes';
import { authRoutes } from '../auth/auth-routes';
import type { Services } from './services';
import { installErrorHandler } from '../platform/http/error-handler';
import { RequestLog } from '../platform/http/request-log';
import type { RegisteredRoute } from '../platform/http/route-table';
import { OPERATIONS_ROUTES } from '../jobs/operations-routes-list';
import { healthRoutes } from '../health/health-routes';
import { MONITORING_ROUTES } from '../monitoring/routes';
import { oncallRoutes } from '../oncall/oncall-routes';
import type { LiveServer } from '../platform/realtime/live-server';
import { HELPDESK_ROUTES } from '../tickets/helpdesk-routes';
import { userRoutes } from '../users/user-routes';
import { updateFeedRoutes, updateRoutes } from '../updates/update-routes';
import { VERSION } from '../version';

export interface App {
  http: Http;
  /** Every route Fastify registered, with the name of its declaration (the route-table test reads it). */
  routes: RegisteredRoute[];
  live: LiveServer;
  services: Services;
}

/** Domain route plugins mounted under /api/v1. Later domains add theirs here. */
const API_ROUTES = [authRoutes, userRoutes, apiTokenRoutes, auditRoutes, ...HELPDESK_ROUTES, ...MONITORING_ROUTES, oncallRoutes, ...OPERATIONS_ROUTES, updateRoutes];

function createHttp({ config }: Pick<Services, 'config'>, logger: Logger) {
  return Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    logController: new RequestLog(),
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();
}

export type Http = ReturnType<typeof createHttp>;

/** The HTTP app over the wired services; socket.io (`live`) serves on its server. Starts no background work. */
export async function buildApp(services: Services, live: LiveServer): Promise<App> {
  const http = createHttp(services, services.logger);
  const routes: RegisteredRoute[] = [];
  http.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url, routeName: r.config?.routeName });
  });

  http.setValidatorCompiler(validatorCompiler);
  http.setSerializerCompiler(serializerCompiler);
  installErrorHandler(http);
  services.idempotency.install(http);

  let closing = false;
  http.addHook('preClose', async () => {
    closing = true;
  });
  http.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // While draining, answer in-flight keep-alive requests with Connection: close so the server can finish.
    if (closing) reply.header('connection', 'close');
    services.metrics.activeRequests.inc();
    // During a restore writes get 503 with the reason (maintenance/maintenance-mode.ts).
    services.maintenance.gate(request);
  });
  http.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
  http.addHook('onResponse', async (request, reply) => {
    services.metrics.activeRequests.dec();
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) };
    services.metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    services.metrics.httpRequests.inc(labels);
    if (reply.statusCode >= 500) services.metrics.httpErrors.inc(labels);
  });

  await http.register(rateLimit, {
    global: false,
    ...(services.redis ? { redis: services.redis, nameSpace: 'opsdesk-rl-' } : {}),
    errorResponseBuilder: (_req, context) => ({
      statusCode: 429,
      error: 'rate_limited',
      message: `Too many attempts from this address; try again in ${Math.ceil(context.ttl / 1000)} s`,
    }),
  });

  await http.register(swagger, {
    openapi: {
      info: { title: 'OpsDesk API', version: VERSION, description: 'Helpdesk, monitoring and operations API' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  // API_DOCS: public (a local workspace's default), signed-in (a bearer token, as for the API) or off.
  const docs = services.config.API_DOCS;
  if (docs !== 'off') {
    const onRequest = docs === 'signed-in' ? services.guard({ scope: 'read' }) : undefined;
    await http.register(swaggerUi, { routePrefix: '/api/docs', ...(onRequest && { uiHooks: { onRequest } }) });
    http.get('/api/schema/', { schema: { hide: true }, ...(onRequest && { onRequest }) }, async () => http.swagger());
  }

  await http.register(healthRoutes(services));
  await http.register(updateFeedRoutes(services));
  await http.register(
    async (api) => {
      for (const routes of API_ROUTES) await api.register(routes(services));
    },
    { prefix: '/api/v1' },
  );

  live.attach(http.server);
  return { http, routes, live, services };
}
