import { JobLogPage, type JobLogLine } from '../../../shared/api/jobs';
import type { CoreContext, DomainChannels, Handlers } from './context';
import { items, online } from './online';

/** Lines per GET /jobs/:id/logs page (the server's maximum), and how many the first answer carries at most. */
const JOB_LOG_PAGE = 10_000;
const JOB_LOG_MAX_INITIAL = 50_000;

const enc = encodeURIComponent;

/** Runbooks and jobs, online; a job's live log through the core's tails (one server tail per job). */
export function jobHandlers(core: CoreContext): Handlers<DomainChannels<'runbooks' | 'jobs'>> {
  return {
    'runbooks.list': () => online(core, 'GET', '/api/v1/runbooks').then((d) => items(d) as never),
    'jobs.list': (q) => online(core, 'GET', '/api/v1/jobs', { query: q }).then((d) => items(d) as never),
    'jobs.get': ({ id }) => online(core, 'GET', `/api/v1/jobs/${enc(id)}`),
    'jobs.request': (body) => online(core, 'POST', '/api/v1/jobs', { body }),
    'jobs.approve': ({ id }) => online(core, 'POST', `/api/v1/jobs/${enc(id)}/approve`, { body: {} }),
    'jobs.reject': ({ id, reason }) => online(core, 'POST', `/api/v1/jobs/${enc(id)}/reject`, { body: { reason } }),
    'jobs.cancel': ({ id }) => online(core, 'POST', `/api/v1/jobs/${enc(id)}/cancel`, { body: {} }),
    'jobs.retry': ({ id, confirmation }) => online(core, 'POST', `/api/v1/jobs/${enc(id)}/retry`, { body: confirmation ? { confirmation } : {} }),
    'jobs.subscribeLog': async ({ id, fromSeq }) => {
      // GET /jobs/:id/logs answers a JobLogPage of at most `limit` lines: read pages until the end of what is stored.
      const lines: JobLogLine[] = [];
      let after = fromSeq;
      let done: boolean;
      for (;;) {
        const page = JobLogPage.parse(await online(core, 'GET', `/api/v1/jobs/${enc(id)}/logs`, { query: { after, limit: JOB_LOG_PAGE } }));
        lines.push(...page.lines);
        after = page.lastSeq;
        done = page.done;
        if (done || page.lines.length < JOB_LOG_PAGE || lines.length >= JOB_LOG_MAX_INITIAL) break;
      }
      return { subscriptionId: core.jobLogs.subscribe(id, after, done), lines, done };
    },
    'jobs.unsubscribeLog': ({ subscriptionId }) => (core.jobLogs.unsubscribe(subscriptionId), null),
  };
}
