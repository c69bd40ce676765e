import { SILENCES_ROUTES } from '../../../shared/api/routes/silences';
import type { Services } from '../app/services';
import { actorOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';
import { bulkSilence } from './silence-bulk';

export function silenceRoutes(s: Pick<Services, 'guard' | 'silences' | 'database' | 'clock'>) {
  return routePlugin(SILENCES_ROUTES, s.guard, {
    'silences.bulk': (req) => bulkSilence(s.database.db, s.clock, s.silences, actorOf(req), req.body),
    'silences.update': (req) => s.silences.update(actorOf(req), req.params.id, req.body),
    'silences.alerts': (req) => s.silences.mutedAlerts(req.params.id),
    'silences.list': (req) => s.silences.list(req.query.state),
    'silences.create': (req) => s.silences.create(actorOf(req), req.body),
    'silences.get': (req) => s.silences.get(req.params.id),
    'silences.expire': (req) => s.silences.expire(actorOf(req), req.params.id),
  });
}
