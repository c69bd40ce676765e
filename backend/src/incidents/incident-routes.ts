import { INCIDENTS_ROUTES } from '../../../shared/api/routes/incidents';
import type { Services } from '../app/services';
import { actorOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';

export function incidentRoutes(s: Pick<Services, 'guard' | 'incidents'>) {
  const incidents = s.incidents;
  return routePlugin(INCIDENTS_ROUTES, s.guard, {
    'incidents.list': (req) => incidents.list(req.query),
    'incidents.create': (req) => incidents.create(actorOf(req), req.body),
    'incidents.get': (req) => incidents.get(req.params.id),
    'incidents.update': (req) => incidents.update(actorOf(req), req.params.id, req.body),
    'incidents.transition': (req) => incidents.transition(actorOf(req), req.params.id, req.body.state, req.body.note),
    'incidents.notes.create': (req) => incidents.addNote(actorOf(req), req.params.id, req.body.body),
    'incidents.links.create': (req) => incidents.link(actorOf(req), req.params.id, req.body.kind, req.body.refId),
    'incidents.links.delete': (req) => incidents.unlink(actorOf(req), req.params.id, req.params.kind, req.params.refId),
    'incidents.review.update': (req) => incidents.review(actorOf(req), req.params.id, req.body),
  });
}
