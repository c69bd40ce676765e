import { EscalationPolicy } from '../alerts';
import { defineRoutes } from '../route';

export const ESCALATION_ROUTES = defineRoutes('escalation', {
  'escalation.policy.get': { method: 'GET', path: '/escalation-policy', access: { role: 'oncall' }, response: EscalationPolicy },
  'escalation.policy.update': { method: 'PUT', path: '/escalation-policy', access: { role: 'admin' }, body: EscalationPolicy, response: EscalationPolicy },
});
