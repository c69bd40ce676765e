import { z } from 'zod';
import { JobIdParams } from '../jobs';
import { AbortRunRequest, AbortRunResult, AddStepNoteRequest, CompleteStepRequest, ProcedureDefinitionInfo, ProcedureRun, RunListQuery, RunStepRequest, StartProcedureRequest, StepParams } from '../procedures';
import { defineRoutes } from '../route';

/** Procedures (wizards, emergency procedures, recurring checklists) and their runs. */
export const PROCEDURE_ROUTES = defineRoutes('procedures', {
  'procedures.list': { method: 'GET', path: '/procedures', summary: 'The procedure definitions', access: { role: 'oncall' }, response: z.array(ProcedureDefinitionInfo) },
  'procedures.runs.list': { method: 'GET', path: '/procedures/runs', summary: 'Runs, newest first (open=true: still running or waiting; open=false: the history)', access: { role: 'oncall' }, query: RunListQuery, response: z.array(ProcedureRun) },
  'procedures.runs.create': { method: 'POST', path: '/procedures/runs', summary: 'Starts a procedure (admin-assigned ones only for admins)', access: { role: 'oncall' }, body: StartProcedureRequest, status: 201, response: ProcedureRun },
  'procedures.runs.get': { method: 'GET', path: '/procedures/runs/:id', access: { role: 'oncall' }, params: JobIdParams, response: ProcedureRun },
  'procedures.runs.steps.complete': { method: 'POST', path: '/procedures/runs/:id/steps/:key/complete', access: { role: 'oncall' }, params: StepParams, body: CompleteStepRequest, response: ProcedureRun },
  'procedures.runs.steps.retry': { method: 'POST', path: '/procedures/runs/:id/steps/:key/retry', summary: 'Re-runs a failed automatic step, or re-checks a waiting check', access: { role: 'oncall' }, params: StepParams, response: ProcedureRun },
  'procedures.runs.steps.run': { method: 'POST', path: '/procedures/runs/:id/steps/:key/run', summary: "Runs a runbook step's job as the caller (through the job service: roles, confirmation and approvals apply)", access: { role: 'oncall' }, params: StepParams, body: RunStepRequest, response: ProcedureRun },
  'procedures.runs.steps.notes.add': { method: 'POST', path: '/procedures/runs/:id/steps/:key/notes', summary: 'Adds a note to a step', access: { role: 'oncall' }, params: StepParams, body: AddStepNoteRequest, status: 201, response: ProcedureRun },
  'procedures.runs.abort': { method: 'POST', path: '/procedures/runs/:id/abort', access: { role: 'admin' }, params: JobIdParams, body: AbortRunRequest, response: AbortRunResult },
});
