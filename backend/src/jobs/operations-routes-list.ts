import { servicesOf } from '../app/services';
import { backupRoutes } from '../backups/backup-routes';
import type { AppContext } from '../context';
import { maintenanceRoutes } from '../maintenance/maintenance-routes';
import { procedureRoutes } from '../procedures/procedure-routes';
import { runbookRoutes } from '../runbooks/runbook-routes';
import { serviceRoutes } from '../services/service-routes';
import { jobRoutes } from './job-routes';

/** TRANSITIONAL: the operations route plugins over the old context, until the wiring passes Services. */
export const OPERATIONS_ROUTES = [runbookRoutes, jobRoutes, serviceRoutes, backupRoutes, maintenanceRoutes, procedureRoutes].map(
  (plugin) => (ctx: AppContext) => plugin(servicesOf(ctx)),
);
