import type { RouteDef } from '../route';
import { API_TOKEN_ROUTES } from './api-tokens';
import { AUTH_ROUTES } from './auth';
import { QUEUE_ROUTES } from './queues';
import { SYNC_ROUTES } from './sync';
import { TICKET_ROUTES } from './tickets';
import { USER_ROUTES } from './users';
import { VIEW_ROUTES } from './views';
import { AUDIT_ROUTES } from './audit';
import { ESCALATION_ROUTES } from './escalation';
import { SLA_ROUTES } from './sla';

/**
 * The HTTP API under /api/v1: every route, declared once. The backend registers a handler for
 * each (a test fails on a route without a declaration or a declaration without a handler), the
 * OpenAPI document is generated from them, and the desktop core derives its online channels.
 * A domain adds its table here.
 */
export const ROUTES = {
  ...AUTH_ROUTES,
  ...USER_ROUTES,
  ...API_TOKEN_ROUTES,
  ...QUEUE_ROUTES,
  ...TICKET_ROUTES,
  ...VIEW_ROUTES,
  ...SYNC_ROUTES,
  ...AUDIT_ROUTES,
  ...SLA_ROUTES,
  ...ESCALATION_ROUTES,
};

export type Routes = typeof ROUTES;
export type RouteName = keyof Routes;
export const ROUTE_NAMES = Object.keys(ROUTES) as RouteName[];

/** For code that walks the table without caring which route it has. */
export const ROUTE_LIST: readonly (RouteDef & { name: RouteName; tag: string })[] = ROUTE_NAMES.map((name) => ({ ...(ROUTES[name] as RouteDef & { tag: string }), name }));
