import { z } from 'zod';
import { IdParams } from '../common';
import { BulkRequest, BulkResult, Comment, CommentParams, CreateCommentRequest, CreateTicketRequest, MergeTicketRequest, Requester, RequesterQuery, Ticket, TicketEvent, TicketListQuery, TicketPage, UpdateTicketRequest } from '../tickets';
import { defineRoutes } from '../route';

const agent = { role: 'agent' } as const;

/** Tickets: list/search, read, create, edit with optimistic concurrency (ETag / If-Match), comments, history, bulk. */
export const TICKET_ROUTES = defineRoutes('tickets', {
  'tickets.list': { method: 'GET', path: '/tickets', summary: 'List and search tickets (a saved view, refined by the query), cursor paging', access: agent, query: TicketListQuery, response: TicketPage },
  'tickets.create': { method: 'POST', path: '/tickets', summary: 'Create a ticket (answers its version as ETag)', access: agent, body: CreateTicketRequest, status: 201, response: Ticket },
  'tickets.bulk': { method: 'POST', path: '/tickets/bulk', summary: 'Apply one action to many tickets', access: agent, body: BulkRequest, response: BulkResult },
  'tickets.get': { method: 'GET', path: '/tickets/:id', summary: 'A ticket (its version as ETag)', access: agent, params: IdParams, response: Ticket },
  'tickets.update': { method: 'PATCH', path: '/tickets/:id', summary: 'Edit a ticket: the version it is based on comes as If-Match or body "version"', access: agent, params: IdParams, body: UpdateTicketRequest, response: Ticket },
  'tickets.comments.list': { method: 'GET', path: '/tickets/:id/comments', access: agent, params: IdParams, response: z.array(Comment) },
  'tickets.comments.create': { method: 'POST', path: '/tickets/:id/comments', access: agent, params: IdParams, body: CreateCommentRequest, status: 201, response: Comment },
  'tickets.merge': { method: 'POST', path: '/tickets/:id/merge', summary: 'Merge this ticket into another: its comments and history move there, it is closed with a link; answers the ticket merged into', access: agent, params: IdParams, body: MergeTicketRequest, response: Ticket },
  'tickets.comments.retryDelivery': { method: 'POST', path: '/tickets/:id/comments/:commentId/delivery/retry', summary: "Send a public reply's failed email again (same Message-ID; a sent one is never sent twice)", access: agent, params: CommentParams, response: Comment },
  'requesters.list': { method: 'GET', path: '/requesters', summary: 'Known requesters of the tickets the caller may see (completion in the new-ticket form)', access: agent, query: RequesterQuery, response: z.array(Requester.extend({ tickets: z.number().int() })) },
  'attachments.download': { method: 'GET', path: '/attachments/:id/content', summary: 'The bytes of an attachment, as a download (agents of its queue only)', access: agent, params: IdParams, produces: 'file' },
  'tickets.events.list': { method: 'GET', path: '/tickets/:id/events', summary: "A ticket's history", access: agent, params: IdParams, response: z.array(TicketEvent) },
});
