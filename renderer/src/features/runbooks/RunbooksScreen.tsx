import { useEffect, useMemo, useState } from 'react';
import type { Runbook } from '../../../../shared/ipc';
import { call, on } from '../../api';
import {
  ConfirmDestructive,
  Dialog,
  ErrorBox,
  StateView,
  useAction,
  useNow,
  useResource,
  DataTable,
} from '../../ui/common';
import { formatDuration, relativeTime, titleCase } from '../../lib/format';
import { fieldsOf, initialValues, toParams, validate, type Field } from '../../lib/schema-form';
import { currentUser, useSession } from '../auth/session';
import { navigate, toast } from '../shell/ui';

export function dangerOf(r: Runbook): { level: 'safe' | 'caution' | 'destructive'; text: string } {
  if (r.destructive)
    return {
      level: 'destructive',
      text: r.requiresApproval ? 'Destructive · needs approval' : 'Destructive',
    };
  if (r.destructiveWhen) return { level: 'caution', text: `Destructive when ${r.destructiveWhen}` };
  return { level: 'safe', text: 'Safe' };
}

export default function Runbooks() {
  const user = useSession(currentUser);
  const runbooks = useResource(() => call('runbooks.list'), []);
  const jobs = useResource(() => call('jobs.list', { limit: 30 }), []);
  const [running, setRunning] = useState<Runbook | null>(null);
  const now = useNow(5000);
  const reloadJobs = jobs.reload;
  useEffect(() => on('jobs.changed', () => reloadJobs()), [reloadJobs]);
  const awaiting = (jobs.data ?? []).filter((j) => j.status === 'awaiting_approval');
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
          {awaiting.length === 0 ? (
            <p className="muted">No job waits for approval.</p>
          ) : (
            awaiting.map((j) => <ApprovalRow key={j.id} job={j} onDone={jobs.reload} />)
          )}
        </>
      )}
      <h2>Catalogue</h2>
      <StateView res={runbooks} empty="No runbooks are defined on this server.">
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
      <StateView res={jobs} empty="No jobs yet.">
        {(list) => (
          <DataTable headers={['Runbook', 'Status', 'Requested', 'Duration', 'Summary']}>
            {list.map((j) => (
              <tr key={j.id} className="clickable" onClick={() => navigate({ screen: 'job', id: j.id })}>
                <td>
                  <a
                    href={`#/job/${j.id}`}
                    onClick={(e) => (e.preventDefault(), navigate({ screen: 'job', id: j.id }))}
                  >
                    {j.runbook}
                  </a>
                </td>
                <td>
                  <JobStatusBadge status={j.status} />
                </td>
                <td>
                  {relativeTime(j.createdAt, now)} <span className="muted">{j.requestedByEmail ?? ''}</span>
                </td>
                <td>{j.startedAt ? formatDuration((j.finishedAt ?? now) - j.startedAt) : '—'}</td>
                <td className="muted">{j.summary ?? j.reason ?? ''}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </StateView>
      {running && <RunDialog runbook={running} onClose={() => setRunning(null)} />}
    </section>
  );
}

export function JobStatusBadge({ status }: { status: string }) {
  const cls =
    status === 'succeeded'
      ? 'ok'
      : status === 'failed' || status === 'interrupted'
        ? 'bad'
        : status === 'running'
          ? 'info'
          : status === 'awaiting_approval'
            ? 'warn'
            : 'neutral';
  return (
    <span className={`badge ${cls}`} data-testid="job-status">
      {titleCase(status)}
    </span>
  );
}

function ApprovalRow({
  job,
  onDone,
}: {
  job: { id: string; runbook: string; params: Record<string, unknown>; requestedByEmail: string | null };
  onDone: () => void;
}) {
  const [reason, setReason] = useState('');
  const a = useAction();
  return (
    <div className="step row">
      <strong>{job.runbook}</strong>
      <span className="mono muted">{JSON.stringify(job.params)}</span>
      <span className="muted">by {job.requestedByEmail ?? 'unknown'}</span>
      <span className="spacer" />
      <button
        className="primary small"
        disabled={a.busy}
        onClick={() => a.run(async () => (await call('jobs.approve', { id: job.id }), onDone()))}
      >
        Approve
      </button>
      <label className="inline">
        <span className="sr-only">Reason for rejecting</span>
        <input placeholder="Reason to reject" value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <button
        className="small"
        disabled={a.busy || !reason.trim()}
        onClick={() => a.run(async () => (await call('jobs.reject', { id: job.id, reason }), onDone()))}
      >
        Reject
      </button>
      <ErrorBox error={a.error} />
    </div>
  );
}

export function SchemaFields({
  fields,
  values,
  errors,
  touched,
  onChange,
}: {
  fields: Field[];
  values: Record<string, string | boolean>;
  errors: Record<string, string>;
  touched: boolean;
  onChange: (v: Record<string, string | boolean>) => void;
}) {
  return (
    <>
      {fields.length === 0 && <p className="muted">This runbook takes no parameters.</p>}
      {fields.map((f) => {
        const id = `p-${f.name}`;
        const err = touched || values[f.name] !== '' ? errors[f.name] : undefined;
        if (f.kind === 'boolean')
          return (
            <label key={f.name} className="inline">
              <input
                type="checkbox"
                checked={Boolean(values[f.name])}
                onChange={(e) => onChange({ ...values, [f.name]: e.target.checked })}
              />{' '}
              {f.label}
            </label>
          );
        return (
          <label key={f.name} htmlFor={id}>
            {f.label}
            {f.required && <span aria-hidden> *</span>}
            {f.kind === 'select' ? (
              <select
                id={id}
                value={String(values[f.name] ?? '')}
                onChange={(e) => onChange({ ...values, [f.name]: e.target.value })}
                aria-invalid={!!err}
                aria-describedby={`${id}-msg`}
              >
                {!f.required && <option value="">(default)</option>}
                {f.options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={id}
                type={f.kind === 'text' ? 'text' : 'number'}
                value={String(values[f.name] ?? '')}
                min={f.schema.minimum}
                max={f.schema.maximum}
                onChange={(e) => onChange({ ...values, [f.name]: e.target.value })}
                aria-invalid={!!err}
                aria-required={f.required}
                aria-describedby={`${id}-msg`}
              />
            )}
            <span id={`${id}-msg`} className={err ? 'field-error' : 'field-hint'}>
              {err ?? f.schema.description ?? ''}
            </span>
          </label>
        );
      })}
    </>
  );
}

function RunDialog({ runbook, onClose }: { runbook: Runbook; onClose: () => void }) {
  const fields = useMemo(() => fieldsOf(runbook.parameters), [runbook]);
  const [values, setValues] = useState(() => initialValues(fields));
  const [touched, setTouched] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const a = useAction();
  const errors = validate(fields, values);
  const valid = Object.keys(errors).length === 0;
  const submit = async (confirmation?: string) => {
    const job = await call('jobs.request', {
      runbook: runbook.id,
      params: toParams(fields, values),
      confirmation,
    });
    toast(
      job.status === 'awaiting_approval' ? 'Requested: waiting for an admin to approve' : 'Job started',
      'ok',
    );
    onClose();
    navigate({ screen: 'job', id: job.id });
  };
  if (confirming)
    return (
      <ConfirmDestructive
        title={`Run ${runbook.title}?`}
        target={runbook.id}
        description={
          <>
            <strong>{runbook.title}</strong> is destructive. {runbook.description}
            {runbook.requiresApproval && ' An admin must approve it before it runs.'}
          </>
        }
        action="Run destructive runbook"
        onConfirm={(typed) => submit(typed)}
        onClose={() => setConfirming(false)}
      />
    );
  return (
    <Dialog title={runbook.title} onClose={onClose}>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (!valid) return;
          if (runbook.destructive) setConfirming(true);
          else void a.run(() => submit());
        }}
      >
        <p className="muted" style={{ margin: 0 }}>
          {runbook.description}
        </p>
        <SchemaFields
          fields={fields}
          values={values}
          errors={errors}
          touched={touched}
          onChange={setValues}
        />
        <ErrorBox error={a.error} />
        <div className="row end">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button className={runbook.destructive ? 'danger' : 'primary'} type="submit" disabled={a.busy}>
            {runbook.destructive ? 'Continue…' : 'Run'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
