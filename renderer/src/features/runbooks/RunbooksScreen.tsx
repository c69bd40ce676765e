import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Job, Runbook } from '../../../../shared/ipc';
import { on } from '../../api';
import { formatDuration, relativeTime } from '../../lib/format';
import { DataTable, type Column } from '../../ui/DataTable';
import { StateView } from '../../ui/feedback';
import { useNow } from '../../ui/hooks';
import { currentUser, useSession } from '../auth/session';
import { JobStatusBadge } from '../jobs/JobStatusBadge';
import { navigate } from '../shell/ui';
import { RunDialog } from './RunDialog';
import { ApprovalsInbox } from './ApprovalsInbox';
import { awaitingApproval, dangerOf, loadCatalogue, loadJobs, useRunbooks } from './slice';

type JobRow = Job;

function jobColumns(now: number): Column<JobRow>[] {
  return [
    {
      id: 'runbook',
      header: 'Runbook',
      cell: (j) => (
        <a
          href={`#/job/${j.id}`}
          onClick={(e) => (e.preventDefault(), navigate({ screen: 'job', id: j.id }))}
        >
          {j.runbook}
        </a>
      ),
    },
    { id: 'status', header: 'Status', cell: (j) => <JobStatusBadge status={j.status} /> },
    {
      id: 'requested',
      header: 'Requested',
      cell: (j) => (
        <>
          {relativeTime(j.createdAt, now)} <span className="muted">{j.requestedByEmail ?? ''}</span>
        </>
      ),
    },
    {
      id: 'duration',
      header: 'Duration',
      cell: (j) => (j.startedAt ? formatDuration((j.finishedAt ?? now) - j.startedAt) : '—'),
    },
    {
      id: 'summary',
      header: 'Summary',
      td: () => ({ className: 'muted' }),
      cell: (j) => j.summary ?? j.reason ?? '',
    },
  ];
}

export default function Runbooks() {
  const user = useSession(currentUser);
  const runbooks = useRunbooks((s) => s.runbooks);
  const jobs = useRunbooks((s) => s.jobs);
  const [running, setRunning] = useState<Runbook | null>(null);
  const now = useNow(5000);
  useEffect(() => void loadCatalogue(), []);
  useEffect(() => on('jobs.changed', () => void loadJobs()), []);
  const awaiting = useRunbooks(useShallow(awaitingApproval));
  return (
    <section aria-labelledby="rb-title">
      <div className="page-head">
        <h1 id="rb-title">Runbooks</h1>
      </div>
      {user?.role === 'agent' && (
        <div className="alert-box info">
          Runbooks are run by on-call engineers and admins. You can follow jobs here.
        </div>
      )}
      {user?.role === 'admin' && (
        <>
          <h2>
            Approvals inbox {awaiting.length > 0 && <span className="badge warn">{awaiting.length}</span>}
          </h2>
          <ApprovalsInbox jobs={awaiting} userId={user.id} />
        </>
      )}
      <h2>Catalogue</h2>
      <StateView
        res={runbooks}
        retry={() => void loadCatalogue({ fresh: false })}
        empty="No runbooks are defined on this server."
      >
        {(list) => (
          <div className="grid2">
            {list.map((r) => {
              const d = dangerOf(r);
              return (
                <article key={r.id} className="step" aria-labelledby={`rb-${r.id}`}>
                  <div className="row">
                    <h3 id={`rb-${r.id}`} style={{ margin: 0 }}>
                      {r.title}
                    </h3>
                    <span className="spacer" />
                    <span
                      className={`badge ${d.level === 'destructive' ? 'bad' : d.level === 'caution' ? 'warn' : 'ok'}`}
                    >
                      {d.text}
                    </span>
                  </div>
                  <p className="muted" style={{ margin: '6px 0' }}>
                    {r.description}
                  </p>
                  <div className="row">
                    <span className="mono muted">{r.id}</span>
                    <span className="muted">· {r.minRole}+</span>
                    <span className="spacer" />
                    <button
                      className="primary small"
                      disabled={user?.role === 'agent' || (r.minRole === 'admin' && user?.role !== 'admin')}
                      onClick={() => setRunning(r)}
                    >
                      Run…
                    </button>
                  </div>
                </article>
              );
            })}
          </div>
        )}
      </StateView>
      <h2>Recent jobs</h2>
      <StateView res={jobs} retry={() => void loadJobs()} empty="No jobs yet.">
        {(list) => (
          <DataTable
            columns={jobColumns(now)}
            rows={list}
            rowKey={(j) => j.id}
            rowProps={(j) => ({
              className: 'clickable',
              onClick: () => navigate({ screen: 'job', id: j.id }),
            })}
          />
        )}
      </StateView>
      {running && <RunDialog runbook={running} onClose={() => setRunning(null)} />}
    </section>
  );
}
