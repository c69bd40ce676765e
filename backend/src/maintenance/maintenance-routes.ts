import { MAINTENANCE_ROUTES } from '../../../shared/api/routes/maintenance';
import type { Services } from '../app/services';
import { actorOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';

/** Maintenance windows (admins plan them, the wizard runs them) and the public maintenance mode. */
export function maintenanceRoutes(s: Pick<Services, 'guard' | 'maintenanceWindows' | 'maintenance' | 'serviceManager' | 'procedures'>) {
  return routePlugin(MAINTENANCE_ROUTES, s.guard, {
    'maintenance.list': () => s.maintenanceWindows.list(),
    'maintenance.mode.get': () => s.maintenance.status(),
    'maintenance.get': (req) => s.maintenanceWindows.get(req.params.id),
    'maintenance.create': (req) => s.maintenanceWindows.create(actorOf(req), req.body, (name) => s.serviceManager.has(name)),
    'maintenance.cancel': (req) => s.maintenanceWindows.cancel(actorOf(req), req.params.id),
    'maintenance.wizard.start': async (req) => {
      const w = await s.maintenanceWindows.get(req.params.id);
      return s.procedures.create(actorOf(req), 'maintenance', { title: w.title, services: w.services, ...req.body?.params }, { maintenanceId: w.id });
    },
  });
}
