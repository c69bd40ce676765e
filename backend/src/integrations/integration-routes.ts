import type { FastifyError } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { INTEGRATIONS_ROUTES } from '../../../shared/api/routes/integrations';
import type { Services } from '../app/services';
import { actorOf } from '../platform/http/guards';
import { routePlugin, type RouteOptions, type RouteRequest } from '../platform/http/route-table';
import { ingestAlertmanager, ingestGeneric, ingestGrafana } from './receivers';

/**
 * Webhook receivers for the ecosystem, authenticated by API token (scope alerts:ingest, or heartbeat
 * for heartbeats). The token is checked before the body is read, so an unknown token is a 401
 * whatever it sends; a malformed or oversized body is a 400 with the reason and stores nothing.
 */
export function integrationRoutes(s: Pick<Services, 'guard' | 'config' | 'alerts' | 'heartbeats'>): FastifyPluginAsyncZod {
  const limit = s.config.WEBHOOK_MAX_BYTES;
  const receiver: RouteOptions = { authHook: 'onRequest', fastify: { bodyLimit: limit } };
  const beat: RouteOptions = { authHook: 'onRequest', fastify: { bodyLimit: 4096 } };
  // GET and POST ping the same heartbeat.
  const ping = (req: Pick<RouteRequest<(typeof INTEGRATIONS_ROUTES)['heartbeats.ping']>, 'params' | 'query'>) => s.heartbeats.ping(req.params.name, req.query);
  const routes = routePlugin(INTEGRATIONS_ROUTES, s.guard, {
    'integrations.alertmanager': { handler: (req) => ingestAlertmanager(s.alerts, req.body, actorOf(req)), options: receiver },
    'integrations.grafana': { handler: (req) => ingestGrafana(s.alerts, req.body, actorOf(req)), options: receiver },
    'integrations.generic': { handler: (req) => ingestGeneric(s.alerts, req.body, actorOf(req)), options: receiver },
    'heartbeats.ping': { handler: ping, options: beat },
    'heartbeats.pingGet': { handler: ping, options: beat },
    'heartbeats.list': () => s.heartbeats.list(),
    'heartbeats.delete': async (req) => {
      await s.heartbeats.remove(req.params.name);
    },
  });
  return async (app) => {
    app.setErrorHandler((error: FastifyError, _req, reply) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return reply.code(400).send({ error: 'bad_request', message: `Payload is larger than ${limit} bytes (WEBHOOK_MAX_BYTES); nothing was stored` });
      }
      throw error;
    });
    await app.register(routes);
  };
}
