import { z } from 'zod';
import { Job } from '../jobs';
import { defineRoutes } from '../route';
import { ScaleServiceRequest, ServiceLogs, ServiceLogsQuery, ServiceNameParams, ServiceStatus } from '../services';

/** Managed services: status, and restart / scale as runbook jobs. */
export const SERVICE_ROUTES = defineRoutes('services', {
  'services.list': { method: 'GET', path: '/services', access: { role: 'oncall' }, response: z.array(ServiceStatus) },
  'services.get': { method: 'GET', path: '/services/:name', access: { role: 'oncall' }, params: ServiceNameParams, response: ServiceStatus },
  'services.logs': { method: 'GET', path: '/services/:name/logs', summary: 'The last lines each replica wrote', access: { role: 'oncall' }, params: ServiceNameParams, query: ServiceLogsQuery, response: ServiceLogs },
  'services.restart': { method: 'POST', path: '/services/:name/restart', summary: 'Requests a restart-service job', access: { role: 'oncall' }, params: ServiceNameParams, status: 201, response: Job },
  'services.scale': { method: 'POST', path: '/services/:name/scale', summary: 'Requests a scale-service job', access: { role: 'oncall' }, params: ServiceNameParams, body: ScaleServiceRequest, status: 201, response: Job },
});
