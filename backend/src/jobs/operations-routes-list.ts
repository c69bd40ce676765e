import { backupRoutes } from '../backups/backup-routes';
import { maintenanceRoutes } from '../maintenance/maintenance-routes';
import { procedureRoutes } from '../procedures/procedure-routes';
import { runbookRoutes } from '../runbooks/runbook-routes';
import { serviceRoutes } from '../services/service-routes';
import { jobRoutes } from './job-routes';

/** The operations route plugins (runbooks, jobs, services, backups, maintenance, procedures), mounted under /api/v1 by app.ts. */
export const OPERATIONS_ROUTES = [runbookRoutes, jobRoutes, serviceRoutes, backupRoutes, maintenanceRoutes, procedureRoutes];
