import type { FastifyError } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Heartbeat, HeartbeatName, HeartbeatPingQuery } from '../../../shared/api/alerts';
import { AlertmanagerWebhook, GenericWebhook, GrafanaWebhook, IngestResult } from '../../../shared/api/integrations';
import type { AppContext } from '../context';
import { actorOf } from '../http/guards';
import { ingestAlertmanager, ingestGeneric, ingestGrafana } from './receivers';

/**
 * Webhook receivers for the ecosystem, authenticated by API token (scope alerts:ingest, or heartbeat
 * for heartbeats). The token is checked before the body is read, so an unknown token is a 401
 * whatever it sends; a malformed or oversized body is a 400 with the reason and stores nothing.
 */
export function integrationRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const m = ctx.monitoring;
    const limit = ctx.config.WEBHOOK_MAX_BYTES;
    app.setErrorHandler((error: FastifyError, _req, reply) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return reply.code(400).send({ error: 'bad_request', message: `Payload is larger than ${limit} bytes (WEBHOOK_MAX_BYTES); nothing was stored` });
      }
      throw error;
    });
    const ingest = ctx.guard({ scope: 'alerts:ingest', role: 'oncall' });
    const beat = ctx.guard({ scope: 'heartbeat', role: 'oncall' });
    const tags = ['integrations'];
    const common = { onRequest: ingest, bodyLimit: limit };

    app.post('/integrations/alertmanager', { ...common, schema: { tags, description: 'Prometheus Alertmanager webhook_config receiver (payload version 4)', body: AlertmanagerWebhook, response: { 200: IngestResult } } }, (req) =>
      ingestAlertmanager(m.alerts, req.body, actorOf(req)),
    );
    app.post('/integrations/grafana', { ...common, schema: { tags, description: 'Grafana alerting webhook contact point', body: GrafanaWebhook, response: { 200: IngestResult } } }, (req) =>
      ingestGrafana(m.alerts, req.body, actorOf(req)),
    );
    app.post('/integrations/generic', { ...common, schema: { tags, description: 'One alert or {alerts: [...]}', body: GenericWebhook, response: { 200: IngestResult } } }, (req) =>
      ingestGeneric(m.alerts, req.body, actorOf(req)),
    );

    for (const method of ['GET', 'POST'] as const) {
      app.route({
        method,
        url: '/integrations/heartbeat/:name',
        onRequest: beat,
        bodyLimit: 4096,
        schema: { tags, params: HeartbeatName, querystring: HeartbeatPingQuery, response: { 200: Heartbeat } },
        handler: (req) => m.heartbeats.ping(req.params.name, req.query),
      });
    }
    app.get('/integrations/heartbeats', { preHandler: ctx.guard({ role: 'oncall' }), schema: { tags, response: { 200: z.array(Heartbeat) } } }, () => m.heartbeats.list());
    app.delete('/integrations/heartbeats/:name', { preHandler: ctx.guard({ role: 'admin' }), schema: { tags, params: HeartbeatName } }, async (req, reply) => {
      await m.heartbeats.remove(req.params.name);
      return reply.code(204).send();
    });
  };
}
