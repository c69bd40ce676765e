import { z } from 'zod';
import { Id, IdParams } from '../common';
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
} from '../incidents';
import { defineRoutes } from '../route';

export const IncidentLinkParams = z.object({ id: Id, kind: LinkKind, refId: Id });

const read = { role: 'any' } as const;
const oncall = { role: 'oncall' } as const;

export const INCIDENTS_ROUTES = defineRoutes('incidents', {
  'incidents.list': { method: 'GET', path: '/incidents', access: read, query: IncidentQuery, response: z.array(Incident) },
  'incidents.create': { method: 'POST', path: '/incidents', access: oncall, body: CreateIncidentRequest, status: 201, response: Incident },
  'incidents.get': { method: 'GET', path: '/incidents/:id', access: read, params: IdParams, response: IncidentDetail },
  'incidents.update': { method: 'PATCH', path: '/incidents/:id', access: oncall, params: IdParams, body: UpdateIncidentRequest, response: Incident },
  'incidents.transition': { method: 'POST', path: '/incidents/:id/transition', access: oncall, params: IdParams, body: TransitionRequest, response: Incident },
  'incidents.notes.create': { method: 'POST', path: '/incidents/:id/notes', access: oncall, params: IdParams, body: IncidentNoteRequest, response: Incident },
  'incidents.links.create': { method: 'POST', path: '/incidents/:id/links', access: oncall, params: IdParams, body: LinkRequest, response: Incident },
  'incidents.links.delete': { method: 'DELETE', path: '/incidents/:id/links/:kind/:refId', access: oncall, params: IncidentLinkParams, response: Incident },
  'incidents.review.update': { method: 'PUT', path: '/incidents/:id/review', access: oncall, params: IdParams, body: ReviewRequest, response: Incident },
});
