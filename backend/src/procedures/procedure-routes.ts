import { PROCEDURE_ROUTES } from '../../../shared/api/routes/procedures';
import type { Services } from '../app/services';
import { forbidden } from '../platform/http/errors';
import { actorOf, principalOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';
import { requesterOf } from '../jobs/requester';
import { definitionInfo } from './definitions';

/** Procedures and their runs; a procedure assigned to admins is started by admins only. */
export function procedureRoutes(s: Pick<Services, 'guard' | 'procedures'>) {
  return routePlugin(PROCEDURE_ROUTES, s.guard, {
    'procedures.list': (req) => s.procedures.definitions().map((d) => definitionInfo(d, req.log)),
    'procedures.runs.list': (req) => s.procedures.list(req.query),
    'procedures.runs.create': (req) => {
      const def = s.procedures.definition(req.body.procedure);
      if (def.assignedRole === 'admin' && principalOf(req).role !== 'admin') throw forbidden(`${def.id} is assigned to admins`);
      return s.procedures.create(actorOf(req), req.body.procedure, req.body.params, { maintenanceId: req.body.maintenanceId, level: req.body.level });
    },
    'procedures.runs.get': (req) => s.procedures.get(req.params.id),
    'procedures.runs.steps.complete': (req) => s.procedures.completeStep(requesterOf(req), req.params.id, req.params.key, req.body),
    'procedures.runs.steps.retry': (req) => s.procedures.retryStep(requesterOf(req), req.params.id, req.params.key),
    'procedures.runs.steps.run': (req) => s.procedures.runStepJob(requesterOf(req), req.params.id, req.params.key, req.body.confirmation),
    'procedures.runs.steps.notes.add': (req) => s.procedures.addNote(actorOf(req), req.params.id, req.params.key, req.body.body),
    'procedures.runs.abort': (req) => s.procedures.abort(requesterOf(req), req.params.id, req.body),
  });
}
