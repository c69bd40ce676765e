import type { JobLogLine } from '../../../shared/api/jobs';
import type { CoreContext, DomainChannels, Handlers } from './context';
import { route } from './online';

/** Lines per GET /jobs/:id/logs page (the server's maximum), and how many the first answer carries at most. */
const JOB_LOG_PAGE = 10_000;
const JOB_LOG_MAX_INITIAL = 50_000;

/**
 * A job's log: the stored pages, then the live tail through the core's tails (one server tail per
 * job). Every other runbook and job call is a derived `api.*` channel.
 */
export function jobHandlers(core: CoreContext): Handlers<DomainChannels<'jobs'>> {
  return {
    'jobs.subscribeLog': async ({ id, fromSeq }) => {
      // A JobLogPage holds at most `limit` lines: read pages until the end of what is stored.
      const lines: JobLogLine[] = [];
      let after = fromSeq;
      let done: boolean;
      for (;;) {
        const page = await route<'jobs.logs.list'>(core, 'jobs.logs.list', { params: { id }, query: { after, limit: JOB_LOG_PAGE } });
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
