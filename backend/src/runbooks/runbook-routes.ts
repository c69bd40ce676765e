import { CommandRunbookInput } from '../../../shared/api/runbooks';
import { RUNBOOK_ROUTES } from '../../../shared/api/routes/runbooks';
import type { Services } from '../app/services';
import { actorOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';

/** The runbook catalogue; admins define command runbooks. */
export function runbookRoutes(s: Pick<Services, 'guard' | 'runbooks'>) {
  return routePlugin(RUNBOOK_ROUTES, s.guard, {
    'runbooks.list': () => s.runbooks.list(),
    'runbooks.get': async (req) => s.runbooks.describe(await s.runbooks.get(req.params.id)),
    'runbooks.commands.list': () => s.runbooks.listCommands(),
    'runbooks.commands.save': (req) => s.runbooks.saveCommand(actorOf(req), CommandRunbookInput.parse({ ...req.body, id: req.params.id })),
    'runbooks.commands.delete': (req) => s.runbooks.deleteCommand(actorOf(req), req.params.id),
  });
}
