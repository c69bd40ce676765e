import { z } from 'zod';
import { JobIdParams } from '../jobs';
import { MaintenanceModeStatus, MaintenanceWindow, MaintenanceWindowInput, StartMaintenanceWizardRequest } from '../maintenance';
import { ProcedureRun } from '../procedures';
import { defineRoutes } from '../route';

/** Maintenance windows (everyone sees them, admins plan them) and the maintenance mode (public). */
export const MAINTENANCE_ROUTES = defineRoutes('maintenance', {
  'maintenance.list': { method: 'GET', path: '/maintenance', access: { role: 'any' }, response: z.array(MaintenanceWindow) },
  'maintenance.mode.get': { method: 'GET', path: '/maintenance/mode', summary: 'Whether the server is in maintenance mode (no sign-in needed)', access: 'public', response: MaintenanceModeStatus },
  'maintenance.get': { method: 'GET', path: '/maintenance/:id', access: { role: 'any' }, params: JobIdParams, response: MaintenanceWindow },
  'maintenance.create': { method: 'POST', path: '/maintenance', access: { role: 'admin' }, body: MaintenanceWindowInput, status: 201, response: MaintenanceWindow },
  'maintenance.cancel': { method: 'POST', path: '/maintenance/:id/cancel', access: { role: 'admin' }, params: JobIdParams, response: MaintenanceWindow },
  'maintenance.wizard.start': { method: 'POST', path: '/maintenance/:id/wizard', summary: 'Starts the maintenance procedure for the window', access: { role: 'admin' }, params: JobIdParams, body: StartMaintenanceWizardRequest, status: 201, response: ProcedureRun },
});
