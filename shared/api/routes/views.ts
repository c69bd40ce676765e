import { z } from 'zod';
import { IdParams } from '../common';
import { CreateSavedViewRequest, SavedView, UpdateSavedViewRequest } from '../tickets';
import { defineRoutes } from '../route';

const agent = { role: 'agent' } as const;

/** A user's saved ticket views, built-ins first. */
export const VIEW_ROUTES = defineRoutes('views', {
  'views.list': { method: 'GET', path: '/views', access: agent, response: z.array(SavedView) },
  'views.get': { method: 'GET', path: '/views/:id', access: agent, params: IdParams, response: SavedView },
  'views.create': { method: 'POST', path: '/views', access: agent, body: CreateSavedViewRequest, status: 201, response: SavedView },
  'views.update': { method: 'PATCH', path: '/views/:id', access: agent, params: IdParams, body: UpdateSavedViewRequest, response: SavedView },
  'views.delete': { method: 'DELETE', path: '/views/:id', access: agent, params: IdParams, status: 204 },
});
