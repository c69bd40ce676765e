import { ALERTS_ROUTES } from '../../../shared/api/routes/alerts';
import type { Services } from '../app/services';
import { actorOf } from '../platform/http/guards';
import { plainJson, routePlugin } from '../platform/http/route-table';
import { bulkAlerts } from './alert-bulk';

export function alertRoutes(s: Pick<Services, 'guard' | 'alerts' | 'notifier'>) {
  return routePlugin(ALERTS_ROUTES, s.guard, {
    // The list answers what toAlert built: no re-validation of 100 outgoing alerts (most of a page's time).
    'alerts.list': { handler: (req) => s.alerts.list(req.query), options: { fastify: { serializerCompiler: plainJson } } },
    'alerts.create': async (req) => {
      const { name, severity, summary, description, labels } = req.body;
      const [raised] = await s.alerts.raise([{ source: 'generic', scope: `manual:${name}`, name, severity, summary, description, labels: labels ?? {} }], actorOf(req));
      return raised!.alert;
    },
    'alerts.get': async (req) => ({ ...(await s.alerts.get(req.params.id)), notes: await s.alerts.notes(req.params.id) }),
    'alerts.ack': (req) => s.alerts.acknowledge(actorOf(req), req.params.id),
    'alerts.own': (req) => s.alerts.own(actorOf(req), req.params.id),
    'alerts.bulk': (req) => bulkAlerts(s.alerts, actorOf(req), req.body),
    'alerts.resolve': (req) => s.alerts.resolve(actorOf(req), req.params.id, req.body?.reason),
    'alerts.notes.create': (req) => s.alerts.addNote(actorOf(req), req.params.id, req.body.body),
    'alerts.deliveries.list': async (req) => {
      await s.alerts.get(req.params.id);
      return s.notifier.deliveries({ alertId: req.params.id });
    },
  });
}
