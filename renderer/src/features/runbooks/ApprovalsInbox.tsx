import { useEffect, useState } from 'react';
import type { ChannelResponse, Job } from '../../../../shared/ipc';
import { call } from '../../api';
import { ErrorBox } from '../../ui/feedback';
import { useAction } from '../../ui/hooks';
import { approveJob, rejectJob } from './slice';

type Policy = ChannelResponse<'api.jobs.approvalPolicy'>;

/** The approvals inbox: the policy in force (second admin, or a solo admin's password) and the waiting jobs. */
export function ApprovalsInbox({ jobs, userId }: { jobs: Job[]; userId: string }) {
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    call('api.jobs.approvalPolicy').then(setPolicy, (e: unknown) => setError((e as Error).message));
  }, [jobs.length]);
  return (
    <>
      <ErrorBox error={error} />
      {policy && (
        <p className="muted" data-testid="approval-policy">
          Approval policy: {policy.description}
        </p>
      )}
      {jobs.length === 0 ? (
        <p className="muted">No job waits for approval.</p>
      ) : (
        jobs.map((j) => (
          <ApprovalRow
            key={j.id}
            job={j}
            own={j.requestedBy === userId}
            solo={policy?.mode === 'solo-password'}
          />
        ))
      )}
    </>
  );
}

/** `own`: the signed-in admin requested it; they approve it only in a solo workspace, with their password. */
function ApprovalRow({ job, own, solo: soloWorkspace }: { job: Job; own: boolean; solo: boolean }) {
  const solo = own && soloWorkspace;
  const blocked = own && !soloWorkspace;
  const [reason, setReason] = useState('');
  const [password, setPassword] = useState('');
  const a = useAction();
  return (
    <div className="step row">
      <strong>{job.runbook}</strong>
      <span className="mono muted">{JSON.stringify(job.params)}</span>
      <span className="muted">
        by {job.requestedByEmail ?? 'unknown'}
        {blocked && ' (you: another admin approves it)'}
      </span>
      <span className="spacer" />
      {solo && (
        <label className="inline">
          <span className="sr-only">Your password</span>
          <input
            type="password"
            placeholder="Your password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
      )}
      <button
        className="primary small"
        disabled={a.busy || blocked || (solo && !password)}
        title={blocked ? 'You requested it: another admin approves it' : undefined}
        onClick={() => a.run(() => approveJob(job.id, solo ? password : undefined))}
      >
        {solo ? 'Approve with password' : 'Approve'}
      </button>
      <label className="inline">
        <span className="sr-only">Reason for rejecting</span>
        <input placeholder="Reason to reject" value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <button
        className="small"
        disabled={a.busy || !reason.trim()}
        onClick={() => a.run(() => rejectJob(job.id, reason))}
      >
        Reject
      </button>
      <ErrorBox error={a.error} />
    </div>
  );
}
