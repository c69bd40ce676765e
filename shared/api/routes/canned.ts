import { z } from 'zod';
import { IdParams } from '../common';
import { CannedQuery, CannedReply, CreateCannedReplyRequest, UpdateCannedReplyRequest } from '../canned';
import { defineRoutes } from '../route';

const agent = { role: 'agent' } as const;

/** Canned replies: shared ones (admins manage them) and each agent's own, with placeholders. */
export const CANNED_ROUTES = defineRoutes('canned replies', {
  'canned.list': { method: 'GET', path: '/canned-replies', summary: 'Shared snippets and the caller’s own, matching q (name or text)', access: agent, query: CannedQuery, response: z.array(CannedReply) },
  'canned.create': { method: 'POST', path: '/canned-replies', summary: 'A personal snippet, or a shared one (admins)', access: agent, body: CreateCannedReplyRequest, status: 201, response: CannedReply },
  'canned.update': { method: 'PATCH', path: '/canned-replies/:id', access: agent, params: IdParams, body: UpdateCannedReplyRequest, response: CannedReply },
  'canned.delete': { method: 'DELETE', path: '/canned-replies/:id', access: agent, params: IdParams, status: 204 },
});
