import { z } from 'zod';
import { CreateSilenceRequest, Silence, SilenceQuery } from '../alerts';
import { IdParams } from '../common';
import { defineRoutes } from '../route';

const oncall = { role: 'oncall' } as const;

export const SILENCES_ROUTES = defineRoutes('silences', {
  'silences.list': { method: 'GET', path: '/silences', access: oncall, query: SilenceQuery, response: z.array(Silence) },
  'silences.create': { method: 'POST', path: '/silences', access: oncall, body: CreateSilenceRequest, status: 201, response: Silence },
  'silences.get': { method: 'GET', path: '/silences/:id', access: oncall, params: IdParams, response: Silence },
  'silences.expire': { method: 'DELETE', path: '/silences/:id', summary: 'Expires the silence now (it stays listed as expired)', access: oncall, params: IdParams, response: Silence },
});
