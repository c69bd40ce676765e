import { z } from 'zod';
import { JobIdParams } from '../jobs';
import { defineRoutes } from '../route';
import { CommandRunbook, CommandRunbookInput, Runbook } from '../runbooks';

/** The runbook catalogue (built-in and admin-defined command runbooks). */
export const RUNBOOK_ROUTES = defineRoutes('runbooks', {
  'runbooks.list': { method: 'GET', path: '/runbooks', access: { role: 'oncall' }, response: z.array(Runbook) },
  'runbooks.get': { method: 'GET', path: '/runbooks/:id', access: { role: 'oncall' }, params: JobIdParams, response: Runbook },
  'runbooks.commands.list': { method: 'GET', path: '/runbooks/commands', access: { role: 'admin' }, response: z.array(CommandRunbook) },
  'runbooks.commands.save': { method: 'PUT', path: '/runbooks/commands/:id', summary: 'Creates or replaces a command runbook', access: { role: 'admin' }, params: JobIdParams, body: CommandRunbookInput.omit({ id: true }), response: Runbook },
  'runbooks.commands.delete': { method: 'DELETE', path: '/runbooks/commands/:id', access: { role: 'admin' }, params: JobIdParams, status: 204 },
});
