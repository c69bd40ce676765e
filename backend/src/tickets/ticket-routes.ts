import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams } from '../../../shared/api/common';
import {
  BulkRequest,
  BulkResult,
  Comment,
  CreateCommentRequest,
  CreateTicketRequest,
  Ticket,
  TicketEvent,
  TicketListQuery,
  TicketPage,
  UpdateTicketRequest,
  type TicketFilter,
} from '../../../shared/api/tickets';
import type { AppContext } from '../context';
import { AppError } from '../http/errors';
import { principalOf } from '../http/guards';
import { toComment } from './ticket-model';

/** `If-Match: "3"` (or W/"3", or 3) → 3. */
export function versionFromIfMatch(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(Array.isArray(header) ? header[0]! : header);
  if (!match) throw new AppError('bad_request', 'If-Match must be the ticket version, e.g. "3"');
  return Number(match[1]);
}

/**
 * Hot read paths answer what our own mappers built, so they skip re-validating every outgoing
 * record (a fifth of a list request's time); the schema still documents the response.
 */
export const plainJson = () => (data: unknown) => JSON.stringify(data);

/** Tickets: list/search, read, create, edit with optimistic concurrency, comments, history, bulk. */
export function ticketRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { tickets, ticketQuery, views } = ctx.helpdesk;
  return async (app) => {
    const agent = ctx.guard({ role: 'agent' });
    const tags = ['tickets'];

    app.get('/tickets', { preHandler: agent, serializerCompiler: plainJson, schema: { tags, querystring: TicketListQuery, response: { 200: TicketPage } } }, async (req) => {
      const principal = principalOf(req);
      const { view, sort, cursor, limit, ...params } = req.query;
      let filter: TicketFilter = params;
      let viewSort = undefined;
      if (view) {
        const saved = await views.get(principal.userId, view);
        // Query parameters refine the view: they win where both say something.
        filter = { ...saved.filter, ...Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) };
        viewSort = saved.sort ?? undefined;
      }
      return ticketQuery.list(principal, filter, { sort: sort ?? viewSort, cursor, limit });
    });

    app.post('/tickets', { preHandler: agent, schema: { tags, body: CreateTicketRequest, response: { 201: Ticket } } }, async (req, reply) => {
      const ticket = await tickets.create(principalOf(req), req.body);
      return reply.code(201).header('etag', `"${ticket.version}"`).send(ticket);
    });

    app.post('/tickets/bulk', { preHandler: agent, schema: { tags, body: BulkRequest, response: { 200: BulkResult } } }, (req) =>
      tickets.bulk(principalOf(req), req.body.ids, req.body.action),
    );

    app.get('/tickets/:id', { preHandler: agent, schema: { tags, params: IdParams, response: { 200: Ticket } } }, async (req, reply) => {
      const ticket = await ticketQuery.get(principalOf(req), req.params.id);
      return reply.header('etag', `"${ticket.version}"`).send(ticket);
    });

    app.patch('/tickets/:id', { preHandler: agent, schema: { tags, params: IdParams, body: UpdateTicketRequest, response: { 200: Ticket } } }, async (req, reply) => {
      const { version: bodyVersion, ...changes } = req.body;
      const headerVersion = versionFromIfMatch(req);
      if (headerVersion !== undefined && bodyVersion !== undefined && headerVersion !== bodyVersion) {
        throw new AppError('bad_request', 'If-Match and body version disagree');
      }
      const version = headerVersion ?? bodyVersion;
      if (version === undefined) throw new AppError('bad_request', 'Send the version this edit is based on (If-Match header or body "version")');
      if (Object.keys(changes).length === 0) throw new AppError('bad_request', 'nothing to change');
      const ticket = await tickets.update(principalOf(req), req.params.id, changes, version);
      return reply.header('etag', `"${ticket.version}"`).send(ticket);
    });

    app.get('/tickets/:id/comments', { preHandler: agent, schema: { tags, params: IdParams, response: { 200: z.array(Comment) } } }, async (req) => {
      await ticketQuery.visibleRow(principalOf(req), req.params.id);
      const rows = await ctx.database.db.selectFrom('ticket_comments').selectAll().where('ticket_id', '=', req.params.id).orderBy('created_at').orderBy('id').execute();
      return rows.map(toComment);
    });

    app.post('/tickets/:id/comments', { preHandler: agent, schema: { tags, params: IdParams, body: CreateCommentRequest, response: { 201: Comment } } }, async (req, reply) => {
      const { comment } = await tickets.comment(principalOf(req), req.params.id, req.body);
      return reply.code(201).send(comment);
    });

    app.get('/tickets/:id/events', { preHandler: agent, schema: { tags, params: IdParams, response: { 200: z.array(TicketEvent) } } }, async (req) => {
      await ticketQuery.visibleRow(principalOf(req), req.params.id);
      const rows = await ctx.database.db.selectFrom('ticket_events').selectAll().where('ticket_id', '=', req.params.id).orderBy('id').execute();
      return rows.map((r) => ({
        id: Number(r.id),
        ticketId: r.ticket_id,
        actorId: r.actor_id,
        kind: r.kind as TicketEvent['kind'],
        field: r.field,
        from: r.old_value === null ? null : (JSON.parse(r.old_value) as unknown),
        to: r.new_value === null ? null : (JSON.parse(r.new_value) as unknown),
        at: Number(r.at),
      }));
    });
  };
}
