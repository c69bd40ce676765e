import { z } from 'zod';
import { IdParams } from '../common';
import { CreateProbeRequest, Probe, ProbeResult, ProbeResultsQuery, UpdateProbeRequest } from '../probes';
import { defineRoutes } from '../route';

const oncall = { role: 'oncall' } as const;
const admin = { role: 'admin' } as const;

export const PROBES_ROUTES = defineRoutes('probes', {
  'probes.list': { method: 'GET', path: '/probes', access: oncall, response: z.array(Probe) },
  'probes.get': { method: 'GET', path: '/probes/:id', access: oncall, params: IdParams, response: Probe },
  'probes.create': { method: 'POST', path: '/probes', summary: 'A new HTTP(S), TCP, TLS or DNS probe; `secret` (password or token) is stored sealed and never returned', access: admin, body: CreateProbeRequest, status: 201, response: Probe },
  'probes.update': { method: 'PATCH', path: '/probes/:id', summary: 'Changes a probe; an omitted `secret` keeps the stored one', access: admin, params: IdParams, body: UpdateProbeRequest, response: Probe },
  'probes.delete': { method: 'DELETE', path: '/probes/:id', access: admin, params: IdParams, status: 204 },
  'probes.pause': { method: 'POST', path: '/probes/:id/pause', access: admin, params: IdParams, response: Probe },
  'probes.resume': { method: 'POST', path: '/probes/:id/resume', access: admin, params: IdParams, response: Probe },
  'probes.check': { method: 'POST', path: '/probes/:id/check', summary: 'Checks the probe now and answers its new state', access: oncall, params: IdParams, response: Probe },
  'probes.results': { method: 'GET', path: '/probes/:id/results', summary: 'The most recent results, newest first', access: oncall, params: IdParams, query: ProbeResultsQuery, response: z.array(ProbeResult) },
});
