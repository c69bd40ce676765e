import { useState } from 'react';
import type { ProcedureStep } from '../../../../shared/api/procedures';
import { formatTime, titleCase } from '../../lib/format';
import { ConfirmDestructive } from '../../ui/Dialog';
import { ErrorBox } from '../../ui/feedback';
import { useAction } from '../../ui/hooks';
import { navigate } from '../shell/ui';
import { addNote, autoTicked, completeStep, recheckStep, runStepJob, stepDetail } from './slice';

const STATUS_CLASS: Record<ProcedureStep['status'], string> = {
  done: 'ok',
  skipped: 'neutral',
  failed: 'bad',
  waiting: 'warn',
  running: 'info',
  pending: 'neutral',
};

/**
 * One step as a person works it (`live`: the run is not completed or aborted; a failed run is
 * resolved step by step): what it says, what the app proved (an automatic tick shows as
 * such), the actions its state allows (tick, skip, not OK, re-check, run its runbook), and its notes.
 */
export function StepItem({
  runId,
  step: s,
  live,
  actionable,
}: {
  runId: string;
  step: ProcedureStep;
  live: boolean;
  actionable: boolean;
}) {
  const a = useAction();
  const [note, setNote] = useState('');
  const [confirming, setConfirming] = useState(false);
  const detail = stepDetail(s);
  const auto = autoTicked(s);
  const open =
    live &&
    actionable &&
    (s.status === 'waiting' || s.status === 'failed' || (s.status === 'pending' && s.kind === 'manual'));
  const canRun = open && s.kind === 'runbook' && s.status !== 'running';
  const canRecheck = open && s.kind === 'check';
  const noteId = `note-${runId}-${s.key}`;
  return (
    <li
      className={`step ${s.status}`}
      data-testid="procedure-step"
      data-key={s.key}
      data-status={s.status}
      data-auto={auto ? 'true' : 'false'}
    >
      <div className="row">
        <span className={`badge ${STATUS_CLASS[s.status]}`}>
          {s.status === 'done' ? '✓ Done' : titleCase(s.status)}
        </span>
        <strong>{s.title}</strong>
        {auto && (
          <span className="badge info" title="Proven by the app: no one had to tick it">
            Auto-ticked
          </span>
        )}
        {s.kind !== 'manual' && !auto && (
          <span className="badge neutral">
            {s.kind === 'check'
              ? 'Check'
              : s.kind === 'runbook'
                ? `Runbook ${s.runbook ?? ''}`
                : titleCase(s.kind)}
          </span>
        )}
        {s.status === 'running' && <span className="spinner" aria-label="Running" />}
        <span className="spacer" />
        {s.completedAt && (
          <span className="muted" style={{ fontSize: 12 }}>
            {s.completedBy ?? ''} · {formatTime(s.completedAt)}
          </span>
        )}
      </div>
      {s.instructions && (
        <div className="muted" style={{ fontSize: 13 }}>
          {s.instructions}
        </div>
      )}
      {detail && <pre className="mono">{detail}</pre>}
      {s.note && <div className="muted">Outcome note: {s.note}</div>}
      {s.notes.length > 0 && (
        <ul aria-label={`Notes on ${s.title}`} style={{ margin: '6px 0 0', paddingLeft: 18, fontSize: 13 }}>
          {s.notes.map((n) => (
            <li key={n.id}>
              <span className="muted">
                {n.author} · {formatTime(n.createdAt)}:
              </span>{' '}
              {n.body}
            </li>
          ))}
        </ul>
      )}
      <ErrorBox error={a.error} />
      <div className="row" style={{ marginTop: 4 }}>
        {open && s.kind !== 'runbook' && (
          <button
            className="small primary"
            disabled={a.busy}
            onClick={() =>
              void a.run(() =>
                completeStep(runId, s.key, 'done', note.trim() || undefined).then(() => setNote('')),
              )
            }
          >
            Tick
          </button>
        )}
        {canRun && (
          <button
            className="small primary"
            disabled={a.busy}
            onClick={() =>
              s.confirmation ? setConfirming(true) : void a.run(() => runStepJob(runId, s.key))
            }
          >
            {s.confirmation ? `Run ${s.runbook}…` : `Run ${s.runbook}`}
          </button>
        )}
        {canRecheck && (
          <button
            className="small"
            disabled={a.busy}
            onClick={() => void a.run(() => recheckStep(runId, s.key))}
          >
            Re-check
          </button>
        )}
        {open && (
          <>
            <button
              className="small"
              disabled={a.busy}
              onClick={() =>
                void a.run(() =>
                  completeStep(runId, s.key, 'skipped', note.trim() || undefined).then(() => setNote('')),
                )
              }
            >
              Skip
            </button>
            {s.status !== 'failed' && (
              <button
                className="small"
                disabled={a.busy}
                onClick={() =>
                  void a.run(() =>
                    completeStep(runId, s.key, 'failed', note.trim() || undefined).then(() => setNote('')),
                  )
                }
              >
                Not OK
              </button>
            )}
          </>
        )}
        {s.jobId && (
          <button className="small" onClick={() => navigate({ screen: 'job', id: s.jobId! })}>
            Open job log
          </button>
        )}
        <span className="spacer" />
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (note.trim()) void a.run(() => addNote(runId, s.key, note.trim()).then(() => setNote('')));
          }}
        >
          <label htmlFor={noteId} className="sr-only">
            Note on {s.title}
          </label>
          <input
            id={noteId}
            className="small"
            placeholder="Note…"
            value={note}
            onChange={(e) => setNote(e.target.value)}
            style={{ width: 220 }}
            maxLength={4000}
          />
          <button className="small" type="submit" disabled={a.busy || !note.trim()}>
            Add note
          </button>
        </form>
      </div>
      {confirming && s.confirmation && (
        <ConfirmDestructive
          title={`Run ${s.runbook}`}
          target={s.confirmation}
          description={<>{s.instructions} The job then waits for approval as the workspace policy asks.</>}
          action={`Run ${s.runbook}`}
          onConfirm={(typed) => runStepJob(runId, s.key, typed)}
          onClose={() => setConfirming(false)}
        />
      )}
    </li>
  );
}
