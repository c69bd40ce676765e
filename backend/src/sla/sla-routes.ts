import { SLA_ROUTES } from '../../../shared/api/routes/sla';
import type { Services } from '../app/services';
import { actorOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';

/** SLA targets per priority and business-hours calendars: everyone reads them, admins change them. */
export function slaRoutes(s: Pick<Services, 'guard' | 'sla' | 'calendars'>) {
  return routePlugin(SLA_ROUTES, s.guard, {
    'sla.policies.list': () => s.sla.list(),
    'sla.policies.update': (req) => s.sla.update(actorOf(req), req.params.priority, req.body),
    'sla.calendars.list': () => s.calendars.list(),
    'sla.calendars.create': (req) => s.calendars.create(actorOf(req), req.body),
    'sla.calendars.update': (req) => s.calendars.update(actorOf(req), req.params.id, req.body),
    'sla.calendars.delete': async (req) => {
      await s.calendars.remove(actorOf(req), req.params.id);
    },
    'sla.queues.setCalendar': (req) => s.calendars.setQueueCalendar(actorOf(req), req.params.id, req.body.calendarId),
  });
}
