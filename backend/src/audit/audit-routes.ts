import { AUDIT_ROUTES } from '../../../shared/api/routes/audit';
import type { Services } from '../app/services';
import { routePlugin } from '../platform/http/route-table';

export function auditRoutes(s: Pick<Services, 'guard' | 'audit'>) {
  return routePlugin(AUDIT_ROUTES, s.guard, {
    'audit.list': (req) => s.audit.list(req.query),
  });
}
