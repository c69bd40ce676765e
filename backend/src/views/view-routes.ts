import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams } from '../../../shared/api/common';
import { CreateSavedViewRequest, SavedView, UpdateSavedViewRequest } from '../../../shared/api/tickets';
import type { AppContext } from '../context';
import { principalOf } from '../http/guards';

/** A user's saved ticket views, built-ins first. */
export function viewRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const views = ctx.helpdesk.views;
  return async (app) => {
    const signedIn = ctx.guard({ role: 'agent' });
    const tags = ['views'];
    app.get('/views', { preHandler: signedIn, schema: { tags, response: { 200: z.array(SavedView) } } }, (req) => views.list(principalOf(req).userId));
    app.get('/views/:id', { preHandler: signedIn, schema: { tags, params: IdParams, response: { 200: SavedView } } }, (req) => views.get(principalOf(req).userId, req.params.id));
    app.post('/views', { preHandler: signedIn, schema: { tags, body: CreateSavedViewRequest, response: { 201: SavedView } } }, async (req, reply) =>
      reply.code(201).send(await views.create(principalOf(req).userId, req.body)),
    );
    app.patch('/views/:id', { preHandler: signedIn, schema: { tags, params: IdParams, body: UpdateSavedViewRequest, response: { 200: SavedView } } }, (req) =>
      views.update(principalOf(req).userId, req.params.id, req.body),
    );
    app.delete('/views/:id', { preHandler: signedIn, schema: { tags, params: IdParams } }, async (req, reply) => {
      await views.remove(principalOf(req).userId, req.params.id);
      return reply.code(204).send();
    });
  };
}
