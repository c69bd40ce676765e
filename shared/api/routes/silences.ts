import { z } from 'zod';
import { Alert, BulkSilenceRequest, BulkSilenceResult, CreateSilenceRequest, Silence, SilenceQuery, UpdateSilenceRequest } from '../alerts';
import { IdParams } from '../common';
import { defineRoutes } from '../route';

const oncall = { role: 'oncall' } as const;

export const SILENCES_ROUTES = defineRoutes('silences', {
  'silences.list': { method: 'GET', path: '/silences', access: oncall, query: SilenceQuery, response: z.array(Silence) },
  'silences.create': { method: 'POST', path: '/silences', access: oncall, body: CreateSilenceRequest, status: 201, response: Silence },
  'silences.bulk': { method: 'POST', path: '/silences/bulk', summary: 'Silences a selection of alerts: one silence covering them all, or one per alert', access: oncall, body: BulkSilenceRequest, response: BulkSilenceResult },
  'silences.update': { method: 'PATCH', path: '/silences/:id', summary: "Changes a pending or active silence's matchers, end or comment", access: oncall, params: IdParams, body: UpdateSilenceRequest, response: Silence },
  'silences.alerts': { method: 'GET', path: '/silences/:id/alerts', summary: 'The open alerts this silence mutes now', access: oncall, params: IdParams, response: z.array(Alert) },
  'silences.get': { method: 'GET', path: '/silences/:id', access: oncall, params: IdParams, response: Silence },
  'silences.expire': { method: 'DELETE', path: '/silences/:id', summary: 'Expires the silence now (it stays listed as expired)', access: oncall, params: IdParams, response: Silence },
});
