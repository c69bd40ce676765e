import type { FastifyReply, FastifyRequest } from 'fastify';
import { TICKET_ROUTES } from '../../../shared/api/routes/tickets';
import type { Ticket, TicketFilter } from '../../../shared/api/tickets';
import { ATTACHMENT_BODY_LIMIT } from '../../../shared/api/attachments';
import type { Services } from '../app/services';
import { AttachmentStore } from '../attachments/attachment-store';
import { AppError } from '../platform/http/errors';
import { actorOf, principalOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';

/** `If-Match: "3"` (or W/"3", or 3) → 3. */
export function versionFromIfMatch(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(Array.isArray(header) ? header[0]! : header);
  if (!match) throw new AppError('bad_request', 'If-Match must be the ticket version, e.g. "3"');
  return Number(match[1]);
}

/** The ticket, with its version as the ETag a later If-Match sends back. */
function withEtag(reply: FastifyReply, ticket: Ticket): Ticket {
  reply.header('etag', `"${ticket.version}"`);
  return ticket;
}

/** Tickets: list/search, read, create, edit with optimistic concurrency, comments, history, bulk. */
/** `attachment; filename="…"` with an ASCII fallback and the exact name in RFC 5987 form. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

const withFiles = { fastify: { bodyLimit: ATTACHMENT_BODY_LIMIT } };

export function ticketRoutes(s: Pick<Services, 'guard' | 'tickets' | 'ticketBulk' | 'ticketQuery' | 'ticketMerge' | 'mailer' | 'views' | 'attachments'>) {
  return routePlugin(TICKET_ROUTES, s.guard, {
    // Answered as JSON text (TicketQuery.listJson): nothing left to serialize.
    'tickets.list': async (req) => {
      const principal = principalOf(req);
      const { view, sort, cursor, limit, ...params } = req.query;
      let filter: TicketFilter = params;
      let viewSort = undefined;
      if (view) {
        const saved = await s.views.get(principal.userId, view);
        // Query parameters refine the view: they win where both say something.
        filter = { ...saved.filter, ...Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) };
        viewSort = saved.sort ?? undefined;
      }
      return s.ticketQuery.listJson(principal, filter, { sort: sort ?? viewSort, cursor, limit });
    },
    'tickets.create': { options: withFiles, handler: async (req, reply) => withEtag(reply, await s.tickets.create(principalOf(req), req.body)) },
    'tickets.bulk': (req) => s.ticketBulk.run(principalOf(req), actorOf(req), req.body),
    'tickets.get': async (req, reply) => withEtag(reply, await s.ticketQuery.get(principalOf(req), req.params.id)),
    'tickets.update': async (req, reply) => {
      const { version: bodyVersion, ...changes } = req.body;
      const headerVersion = versionFromIfMatch(req);
      if (headerVersion !== undefined && bodyVersion !== undefined && headerVersion !== bodyVersion) {
        throw new AppError('bad_request', 'If-Match and body version disagree');
      }
      const version = headerVersion ?? bodyVersion;
      if (version === undefined) throw new AppError('bad_request', 'Send the version this edit is based on (If-Match header or body "version")');
      if (Object.keys(changes).length === 0) throw new AppError('bad_request', 'nothing to change');
      return withEtag(reply, await s.tickets.update(principalOf(req), req.params.id, changes, version));
    },
    'tickets.comments.list': (req) => s.ticketQuery.comments(principalOf(req), req.params.id),
    'tickets.comments.create': { options: withFiles, handler: async (req) => (await s.tickets.comment(principalOf(req), req.params.id, req.body)).comment },
    'attachments.download': async (req, reply) => {
      const file = await s.attachments.read(principalOf(req), req.params.id);
      // Never rendered by a browser as a page: a download, its type never guessed, no script.
      return reply
        .header('content-type', AttachmentStore.servedType(file.contentType))
        .header('content-disposition', contentDisposition(file.filename))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "sandbox; default-src 'none'")
        .header('cache-control', 'private, no-store')
        .header('etag', `"${file.sha256}"`)
        .send(file.data);
    },
    'tickets.events.list': (req) => s.ticketQuery.events(principalOf(req), req.params.id),
    'tickets.merge': (req) => s.ticketMerge.merge(principalOf(req), req.params.id, req.body.intoId),
    'tickets.comments.retryDelivery': async (req) => {
      const principal = principalOf(req);
      await s.ticketQuery.get(principal, req.params.id);
      await s.mailer.retry(req.params.id, req.params.commentId);
      const comment = (await s.ticketQuery.comments(principal, req.params.id)).find((c) => c.id === req.params.commentId);
      if (!comment) throw new AppError('not_found', 'Comment not found');
      return comment;
    },
    'requesters.list': (req) => s.ticketQuery.requesters(principalOf(req), req.query.q, req.query.limit),
  });
}
