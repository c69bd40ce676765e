import { z } from 'zod';
import { CreateRuleRequest, Rule, RuleHistoryEntry, RuleHistoryQuery, RulePreview, RulePreviewRequest, UpdateRuleRequest } from '../alerts';
import { IdParams } from '../common';
import { defineRoutes } from '../route';

const oncall = { role: 'oncall' } as const;
const admin = { role: 'admin' } as const;

export const RULES_ROUTES = defineRoutes('rules', {
  'rules.list': { method: 'GET', path: '/rules', access: oncall, response: z.array(Rule) },
  'rules.get': { method: 'GET', path: '/rules/:id', access: oncall, params: IdParams, response: Rule },
  'rules.create': { method: 'POST', path: '/rules', access: admin, body: CreateRuleRequest, status: 201, response: Rule },
  'rules.update': { method: 'PATCH', path: '/rules/:id', access: admin, params: IdParams, body: UpdateRuleRequest, response: Rule },
  'rules.delete': { method: 'DELETE', path: '/rules/:id', access: admin, params: IdParams, status: 204 },
  'rules.preview': { method: 'POST', path: '/rules/preview', summary: 'Which series a draft condition would fire on now, at which level', access: oncall, body: RulePreviewRequest, response: RulePreview },
  'rules.history': { method: 'GET', path: '/rules/:id/history', summary: "The rule's alerts, newest first: when each fired and resolved", access: oncall, params: IdParams, query: RuleHistoryQuery, response: z.array(RuleHistoryEntry) },
});
