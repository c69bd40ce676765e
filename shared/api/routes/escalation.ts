import { z } from 'zod';
import { EscalationPolicy } from '../alerts';
import { IdParams } from '../common';
import { Policy, PolicyInput, PolicyPreview } from '../escalation';
import { defineRoutes } from '../route';

const admin = { role: 'admin' } as const;
const oncall = { role: 'oncall' } as const;

/** Escalation policies: one per service / label route, the default one for every other alert. */
export const ESCALATION_ROUTES = defineRoutes('escalation', {
  'escalation.policy.get': { method: 'GET', path: '/escalation-policy', summary: "The default policy's levels", access: oncall, response: EscalationPolicy },
  'escalation.policy.update': { method: 'PUT', path: '/escalation-policy', summary: "Replaces the default policy's levels", access: admin, body: EscalationPolicy, response: EscalationPolicy },
  'escalation.policies.list': { method: 'GET', path: '/escalation-policies', summary: 'Every policy in the order alerts are matched against them', access: oncall, response: z.array(Policy) },
  'escalation.policies.create': { method: 'POST', path: '/escalation-policies', access: admin, body: PolicyInput, status: 201, response: Policy },
  'escalation.policies.get': { method: 'GET', path: '/escalation-policies/:id', access: oncall, params: IdParams, response: Policy },
  'escalation.policies.update': { method: 'PUT', path: '/escalation-policies/:id', access: admin, params: IdParams, body: PolicyInput, response: Policy },
  'escalation.policies.delete': { method: 'DELETE', path: '/escalation-policies/:id', summary: 'Deletes a policy (not the default one)', access: admin, params: IdParams, status: 204 },
  'escalation.policies.preview': { method: 'GET', path: '/escalation-policies/:id/preview', summary: 'Who each level would page now', access: oncall, params: IdParams, response: PolicyPreview },
});
