import { ALERTS_ROUTES } from '../../../shared/api/routes/alerts';
import type { Services } from '../app/services';
import { actorOf } from '../http/guards';
import { routePlugin } from '../http/route-table';

/**
 * The list answers what toAlert built, so it skips re-validating 100 outgoing alerts against the
 * zod schema (most of a page's time beside the query); the schema still documents the response.
 */
const plainJson = () => (data: unknown) => JSON.stringify(data);

export function alertRoutes(s: Pick<Services, 'guard' | 'alerts' | 'notifier'>) {
  return routePlugin(ALERTS_ROUTES, s.guard, {
    'alerts.list': { handler: (req) => s.alerts.list(req.query), options: { fastify: { serializerCompiler: plainJson } } },
    'alerts.create': async (req) => {
      const { name, severity, summary, description, labels } = req.body;
      const [raised] = await s.alerts.raise([{ source: 'generic', scope: `manual:${name}`, name, severity, summary, description, labels: labels ?? {} }], actorOf(req));
      return raised!.alert;
    },
    'alerts.get': async (req) => ({ ...(await s.alerts.get(req.params.id)), notes: await s.alerts.notes(req.params.id) }),
    'alerts.ack': (req) => s.alerts.acknowledge(actorOf(req), req.params.id),
    'alerts.resolve': (req) => s.alerts.resolve(actorOf(req), req.params.id, req.body?.reason),
    'alerts.notes.create': (req) => s.alerts.addNote(actorOf(req), req.params.id, req.body.body),
    'alerts.deliveries.list': async (req) => {
      await s.alerts.get(req.params.id);
      return s.notifier.deliveries({ alertId: req.params.id });
    },
  });
}
