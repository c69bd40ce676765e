import { z } from 'zod';
import { PriorityParams, SlaPolicy, UpdateSlaPolicyRequest } from '../tickets';
import { defineRoutes } from '../route';

/** SLA targets per priority: everyone reads them, admins change them. */
export const SLA_ROUTES = defineRoutes('sla', {
  'sla.policies.list': { method: 'GET', path: '/sla/policies', access: { role: 'agent' }, response: z.array(SlaPolicy) },
  'sla.policies.update': { method: 'PUT', path: '/sla/policies/:priority', access: { role: 'admin' }, params: PriorityParams, body: UpdateSlaPolicyRequest, response: SlaPolicy },
});
