import { mailRoutes } from '../mail/mail-routes';
import { queueRoutes } from '../queues/queue-routes';
import { slaRoutes } from '../sla/sla-routes';
import { syncRoutes } from '../sync/sync-routes';
import { viewRoutes } from '../views/view-routes';
import { cannedRoutes } from '../canned/canned-routes';
import { ticketRoutes } from './ticket-routes';

/** The helpdesk's route plugins, mounted under /api/v1 by app.ts. */
export const HELPDESK_ROUTES = [queueRoutes, ticketRoutes, mailRoutes, slaRoutes, viewRoutes, syncRoutes, cannedRoutes];
