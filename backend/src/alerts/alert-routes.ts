import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AddNoteRequest, Alert, AlertDetail, AlertNote, AlertPage, AlertQuery, CreateAlertRequest, Delivery, ResolveRequest } from '../../../shared/api/alerts';
import { IdParams } from '../../../shared/api/common';
import type { AppContext } from '../context';
import { actorOf } from '../http/guards';

/**
 * The list answers what toAlert built, so it skips re-validating 100 outgoing alerts against the
 * zod schema (most of a page's time beside the query); the schema still documents the response.
 */
const plainJson = () => (data: unknown) => JSON.stringify(data);

export function alertRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const m = ctx.monitoring;
    const oncall = ctx.guard({ role: 'oncall' });
    const tags = ['alerts'];
    app.get('/alerts', { preHandler: oncall, serializerCompiler: plainJson, schema: { tags, querystring: AlertQuery, response: { 200: AlertPage } } }, (req) => m.alerts.list(req.query));
    app.post('/alerts', { preHandler: oncall, schema: { tags, body: CreateAlertRequest, response: { 201: Alert } } }, async (req, reply) => {
      const actor = actorOf(req);
      const labels = req.body.labels ?? {};
      const [raised] = await m.alerts.raise(
        [{ source: 'generic', scope: `manual:${req.body.name}`, name: req.body.name, severity: req.body.severity, summary: req.body.summary, description: req.body.description, labels }],
        actor,
      );
      return reply.code(201).send(raised!.alert);
    });
    app.get('/alerts/:id', { preHandler: oncall, schema: { tags, params: IdParams, response: { 200: AlertDetail } } }, async (req) => ({
      ...(await m.alerts.get(req.params.id)),
      notes: await m.alerts.notes(req.params.id),
    }));
    app.post('/alerts/:id/ack', { preHandler: oncall, schema: { tags, params: IdParams, response: { 200: Alert } } }, (req) => m.alerts.acknowledge(actorOf(req), req.params.id));
    app.post('/alerts/:id/resolve', { preHandler: oncall, schema: { tags, params: IdParams, body: ResolveRequest.optional(), response: { 200: Alert } } }, (req) =>
      m.alerts.resolve(actorOf(req), req.params.id, req.body?.reason),
    );
    app.post('/alerts/:id/notes', { preHandler: oncall, schema: { tags, params: IdParams, body: AddNoteRequest, response: { 201: AlertNote } } }, async (req, reply) =>
      reply.code(201).send(await m.alerts.addNote(actorOf(req), req.params.id, req.body.body)),
    );
    app.get('/alerts/:id/deliveries', { preHandler: oncall, schema: { tags, params: IdParams, response: { 200: z.array(Delivery) } } }, async (req) => {
      await m.alerts.get(req.params.id);
      return m.notifier.deliveries({ alertId: req.params.id });
    });
  };
}
