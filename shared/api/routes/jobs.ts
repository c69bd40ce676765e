import { ApprovalPolicy, ApproveJobRequest, Job, JobIdParams, JobList, JobListQuery, JobLogPage, JobLogQuery, JobRequest, RejectJobRequest, RetryJobRequest } from '../jobs';
import { defineRoutes } from '../route';

/** Runbook jobs: request, approve, follow, retry; their logs. */
export const JOB_ROUTES = defineRoutes('jobs', {
  'jobs.list': { method: 'GET', path: '/jobs', access: { role: 'oncall' }, query: JobListQuery, response: JobList },
  'jobs.create': { method: 'POST', path: '/jobs', summary: 'Requests a runbook job', access: { role: 'oncall' }, body: JobRequest, status: 201, response: Job },
  'jobs.get': { method: 'GET', path: '/jobs/:id', access: { role: 'oncall' }, params: JobIdParams, response: Job },
  'jobs.approvalPolicy': { method: 'GET', path: '/jobs/approval-policy', summary: 'Who approves jobs that need approval here', access: { role: 'oncall' }, response: ApprovalPolicy },
  'jobs.approve': { method: 'POST', path: '/jobs/:id/approve', access: { role: 'admin' }, params: JobIdParams, body: ApproveJobRequest, response: Job },
  'jobs.reject': { method: 'POST', path: '/jobs/:id/reject', access: { role: 'admin' }, params: JobIdParams, body: RejectJobRequest, response: Job },
  'jobs.cancel': { method: 'POST', path: '/jobs/:id/cancel', access: { role: 'oncall' }, params: JobIdParams, response: Job },
  'jobs.retry': { method: 'POST', path: '/jobs/:id/retry', summary: 'Runs a finished job again as a new job', access: { role: 'oncall' }, params: JobIdParams, body: RetryJobRequest, status: 201, response: Job },
  'jobs.logs.list': { method: 'GET', path: '/jobs/:id/logs', summary: 'A page of log lines after a sequence number', access: { role: 'oncall' }, params: JobIdParams, query: JobLogQuery, response: JobLogPage },
  'jobs.logs.download': { method: 'GET', path: '/jobs/:id/logs/download', summary: 'The whole log as a text file', access: { role: 'oncall' }, params: JobIdParams, produces: 'file' },
});
