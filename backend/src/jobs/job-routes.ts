import { Readable } from 'node:stream';
import { JOB_ROUTES } from '../../../shared/api/routes/jobs';
import type { Services } from '../app/services';
import { routePlugin } from '../platform/http/route-table';
import { requesterOf } from './requester';

/** Runbook jobs: request, approve, follow, retry, and their logs (a page, or the whole file). */
export function jobRoutes(s: Pick<Services, 'guard' | 'jobs'>) {
  return routePlugin(JOB_ROUTES, s.guard, {
    'jobs.list': async (req) => ({ items: await s.jobs.list(req.query) }),
    'jobs.create': (req) => s.jobs.request(requesterOf(req), req.body),
    'jobs.get': (req) => s.jobs.get(req.params.id),
    'jobs.approvalPolicy': () => s.jobs.approvalPolicy(),
    'jobs.approve': (req) => s.jobs.approve(requesterOf(req), req.params.id, req.body?.password),
    'jobs.reject': (req) => s.jobs.reject(requesterOf(req), req.params.id, req.body?.reason),
    'jobs.cancel': (req) => s.jobs.cancel(requesterOf(req), req.params.id),
    'jobs.retry': (req) => s.jobs.retry(requesterOf(req), req.params.id, req.body?.confirmation),
    'jobs.logs.list': (req) => s.jobs.logPage(requesterOf(req), req.params.id, req.query.after, req.query.limit),
    'jobs.logs.download': async (req, reply) => {
      const { job, chunks } = await s.jobs.logText(requesterOf(req), req.params.id);
      return reply
        .header('content-type', 'text/plain; charset=utf-8')
        .header('content-disposition', `attachment; filename="job-${job.id}.log"`)
        .send(Readable.from(chunks));
    },
  });
}
