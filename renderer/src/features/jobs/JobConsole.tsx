import { useEffect, useState } from 'react';
import { ApiError } from '../../api';
import { ConfirmDestructive } from '../../ui/Dialog';
import { ErrorBox, Progress } from '../../ui/feedback';
import { Checkbox } from '../../ui/form';
import { useAction, useNow } from '../../ui/hooks';
import { formatDuration, formatTime } from '../../lib/format';
import {
  cancelJob,
  closeJob,
  isFinished,
  log,
  openDetachedConsole,
  openJob,
  retryJob,
  setFollow,
  setLogQuery,
  setPaused,
  useJobConsole,
} from './slice';
import { navigate } from '../shell/ui';
import { JobStatusBadge } from './JobStatusBadge';
import { LogView } from './LogView';

/** The line count, on its own so a growing log re-renders only it and the log view each frame. */
function LogCount() {
  const count = useJobConsole((s) => s.visibleCount);
  const appliedQuery = useJobConsole((s) => s.query);
  const searching = useJobConsole((s) => s.searching);
  const paused = useJobConsole((s) => s.paused);
  return (
    <span className="muted" data-testid="log-count">
      {count.toLocaleString()} {appliedQuery ? 'matching ' : ''}line{count === 1 ? '' : 's'}
      {searching ? ' (searching…)' : ''}
      {paused ? ' (paused)' : ''}
    </span>
  );
}

export default function JobConsole({ id }: { id: string }) {
  const job = useJobConsole((s) => s.job);
  const error = useJobConsole((s) => s.error);
  const follow = useJobConsole((s) => s.follow);
  const paused = useJobConsole((s) => s.paused);
  const consoleJobId = useJobConsole((s) => s.jobId);
  const [query, setQuery] = useState('');
  const [confirmRetry, setConfirmRetry] = useState(false);
  const a = useAction();
  const now = useNow(1000);

  useEffect(() => {
    // The benchmark (bench/ui.bench.ts) drives a console with no server job behind it: its lines
    // arrive as jobs.log events over the real bridge.
    if (id.startsWith('bench-')) return openDetachedConsole(id);
    void openJob(id);
    return () => void closeJob();
  }, [id]);
  useEffect(() => {
    const t = setTimeout(() => setLogQuery(query), 150);
    return () => clearTimeout(t);
  }, [query]);

  const running = job && !isFinished(job);
  const duration = job?.startedAt ? (job.finishedAt ?? now) - job.startedAt : null;
  const download = () => {
    const blob = new Blob([log.toText()], { type: 'text/plain' });
    const url = URL.createObjectURL(blob);
    const el = document.createElement('a');
    el.href = url;
    el.download = `job-${id}.log`;
    el.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <section className="console" aria-labelledby="job-title">
      <div className="page-head">
        <button className="ghost" onClick={() => navigate({ screen: 'runbooks' })}>
          ← Runbooks
        </button>
        <h1 id="job-title">{job ? job.runbook : consoleJobId === id ? 'Job console' : 'Job'}</h1>
        {job && <JobStatusBadge status={job.status} />}
        {duration != null && <span className="muted">{formatDuration(duration)}</span>}
        {running && <Progress value={null} label="Job running" />}
        <span className="spacer" />
        {running && (
          <button className="danger" disabled={a.busy} onClick={() => a.run(() => cancelJob(id))}>
            Cancel job
          </button>
        )}
        {job && isFinished(job) && job.status !== 'succeeded' && (
          <button
            disabled={a.busy}
            onClick={() =>
              a.run(async () => {
                try {
                  navigate({ screen: 'job', id: await retryJob(id) });
                } catch (e) {
                  // A destructive runbook asks for its name again before it runs a second time.
                  if (e instanceof ApiError && JSON.stringify(e.details ?? '').includes('confirmation'))
                    setConfirmRetry(true);
                  else throw e;
                }
              })
            }
          >
            Retry
          </button>
        )}
        {confirmRetry && job && (
          <ConfirmDestructive
            title={`Retry ${job.runbook}`}
            target={job.runbook}
            description={<>This runbook is destructive. Retrying runs it again with the same parameters.</>}
            action="Retry"
            onConfirm={async (typed) => navigate({ screen: 'job', id: await retryJob(id, typed) })}
            onClose={() => setConfirmRetry(false)}
          />
        )}
      </div>
      {job && (
        <p className="muted" style={{ margin: '0 0 8px' }}>
          Requested {formatTime(job.createdAt)} by {job.requestedByEmail ?? 'unknown'} · params{' '}
          <span className="mono">{JSON.stringify(job.params)}</span>
          {job.summary && (
            <>
              {' '}
              · <strong data-testid="job-summary">{job.summary}</strong>
            </>
          )}
          {job.reason && job.reason !== job.summary && <span className="sev-critical"> · {job.reason}</span>}
        </p>
      )}
      {job?.status === 'awaiting_approval' && (
        <div className="alert-box info" role="status" style={{ marginBottom: 8 }}>
          This job waits for approval (Runbooks → Approvals inbox says who may approve here). It starts as soon as it
          is approved.
        </div>
      )}
      <ErrorBox error={error ?? a.error} />
      <div className="toolbar">
        <Checkbox checked={follow} onChange={setFollow}>
          Follow tail
        </Checkbox>
        <button onClick={() => setPaused(!paused)} aria-pressed={paused}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <label className="inline">
          <span className="sr-only">Search the log</span>
          <input
            type="search"
            placeholder="Search the log"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
        </label>
        <LogCount />
        <span className="spacer" />
        <button onClick={download}>Download log</button>
      </div>
      <LogView />
    </section>
  );
}
