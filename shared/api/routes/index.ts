import { fillPath, type RouteDef } from '../route';
import { API_TOKEN_ROUTES } from './api-tokens';
import { AUTH_ROUTES } from './auth';
import { MAIL_ROUTES } from './mail';
import { QUEUE_ROUTES } from './queues';
import { SYNC_ROUTES } from './sync';
import { TICKET_ROUTES } from './tickets';
import { USER_ROUTES } from './users';
import { VIEW_ROUTES } from './views';
import { AUDIT_ROUTES } from './audit';
import { ESCALATION_ROUTES } from './escalation';
import { SLA_ROUTES } from './sla';
import { ALERTS_ROUTES } from './alerts';
import { CHANNELS_ROUTES } from './channels';
import { INCIDENTS_ROUTES } from './incidents';
import { INTEGRATIONS_ROUTES } from './integrations';
import { METRICS_ROUTES } from './metrics';
import { REPORTS_ROUTES } from './reports';
import { RULES_ROUTES } from './rules';
import { SILENCES_ROUTES } from './silences';
import { BACKUP_ROUTES } from './backups';
import { JOB_ROUTES } from './jobs';
import { MAINTENANCE_ROUTES } from './maintenance';
import { PROCEDURE_ROUTES } from './procedures';
import { RUNBOOK_ROUTES } from './runbooks';
import { SERVICE_ROUTES } from './services';
import { ONCALL_ROUTES } from './oncall';
import { UPDATE_ROUTES } from './updates';
import { PROBES_ROUTES } from './probes';
import { CANNED_ROUTES } from './canned';
import { SCRAPE_ROUTES } from './scrape';

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
  ...MAIL_ROUTES,
  ...VIEW_ROUTES,
  ...SYNC_ROUTES,
  ...AUDIT_ROUTES,
  ...SLA_ROUTES,
  ...ESCALATION_ROUTES,
  ...ONCALL_ROUTES,
  ...ALERTS_ROUTES,
  ...SILENCES_ROUTES,
  ...RULES_ROUTES,
  ...CHANNELS_ROUTES,
  ...INCIDENTS_ROUTES,
  ...INTEGRATIONS_ROUTES,
  ...REPORTS_ROUTES,
  ...METRICS_ROUTES,
  ...RUNBOOK_ROUTES,
  ...JOB_ROUTES,
  ...SERVICE_ROUTES,
  ...BACKUP_ROUTES,
  ...MAINTENANCE_ROUTES,
  ...PROCEDURE_ROUTES,
  ...UPDATE_ROUTES,
  ...PROBES_ROUTES,
  ...CANNED_ROUTES,
  ...SCRAPE_ROUTES,
};

export type Routes = typeof ROUTES;
export type RouteName = keyof Routes;
export const ROUTE_NAMES = Object.keys(ROUTES) as RouteName[];

/** A declared route's URL path under /api/v1: callers name routes, they do not spell paths. */
export function routePath(name: RouteName, params?: Record<string, unknown>): string {
  return `/api/v1${fillPath((ROUTES[name] as RouteDef).path, params)}`;
}

/** For code that walks the table without caring which route it has. */
export const ROUTE_LIST: readonly (RouteDef & { name: RouteName; tag: string })[] = ROUTE_NAMES.map((name) => ({ ...(ROUTES[name] as RouteDef & { tag: string }), name }));
