import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id, IdParams } from '../../../shared/api/common';
import {
  CreateIncidentRequest,
  Incident,
  IncidentDetail,
  IncidentNoteRequest,
  IncidentQuery,
  LinkKind,
  LinkRequest,
  ReviewRequest,
  TransitionRequest,
  UpdateIncidentRequest,
} from '../../../shared/api/incidents';
import type { AppContext } from '../context';
import { actorOf } from '../http/guards';

export function incidentRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const s = ctx.monitoring.incidents;
    const read = ctx.guard();
    const oncall = ctx.guard({ role: 'oncall' });
    const tags = ['incidents'];
    app.get('/incidents', { preHandler: read, schema: { tags, querystring: IncidentQuery, response: { 200: z.array(Incident) } } }, (req) => s.list(req.query));
    app.post('/incidents', { preHandler: oncall, schema: { tags, body: CreateIncidentRequest, response: { 201: Incident } } }, async (req, reply) =>
      reply.code(201).send(await s.create(actorOf(req), req.body)),
    );
    app.get('/incidents/:id', { preHandler: read, schema: { tags, params: IdParams, response: { 200: IncidentDetail } } }, (req) => s.get(req.params.id));
    app.patch('/incidents/:id', { preHandler: oncall, schema: { tags, params: IdParams, body: UpdateIncidentRequest, response: { 200: Incident } } }, (req) =>
      s.update(actorOf(req), req.params.id, req.body),
    );
    app.post('/incidents/:id/transition', { preHandler: oncall, schema: { tags, params: IdParams, body: TransitionRequest, response: { 200: Incident } } }, (req) =>
      s.transition(actorOf(req), req.params.id, req.body.state, req.body.note),
    );
    app.post('/incidents/:id/notes', { preHandler: oncall, schema: { tags, params: IdParams, body: IncidentNoteRequest, response: { 200: Incident } } }, (req) =>
      s.addNote(actorOf(req), req.params.id, req.body.body),
    );
    app.post('/incidents/:id/links', { preHandler: oncall, schema: { tags, params: IdParams, body: LinkRequest, response: { 200: Incident } } }, (req) =>
      s.link(actorOf(req), req.params.id, req.body.kind, req.body.refId),
    );
    app.delete('/incidents/:id/links/:kind/:refId', { preHandler: oncall, schema: { tags, params: z.object({ id: Id, kind: LinkKind, refId: Id }), response: { 200: Incident } } }, (req) =>
      s.unlink(actorOf(req), req.params.id, req.params.kind, req.params.refId),
    );
    app.put('/incidents/:id/review', { preHandler: oncall, schema: { tags, params: IdParams, body: ReviewRequest, response: { 200: Incident } } }, (req) =>
      s.review(actorOf(req), req.params.id, req.body),
    );
  };
}
