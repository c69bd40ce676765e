import { useEffect, useState } from 'react';
import type { ProcedureStep } from '../../../../shared/api/procedures';
import { formatDuration, titleCase } from '../../lib/format';
import { ConfirmDestructive } from '../../ui/Dialog';
import { ErrorBox, Progress, StateView } from '../../ui/feedback';
import { Checkbox } from '../../ui/form';
import { useAction, useNow } from '../../ui/hooks';
import { navigate } from '../shell/ui';
import { RunStatusBadge } from './RunStatusBadge';
import {
  abortRun,
  completeStep,
  isLive,
  openRun,
  reloadRun,
  retryStep,
  useMaintenance,
  wizardProgress,
} from './slice';

export function Wizard({ runId }: { runId: string }) {
  const res = useMaintenance((s) => s.run);
  const [aborting, setAborting] = useState(false);
  const [rollback, setRollback] = useState(true);
  const a = useAction();
  const now = useNow(1000);
  const live = isLive(res.data);
  useEffect(() => void openRun(runId), [runId]);
  useEffect(() => {
    if (!live) return;
    const t = setInterval(() => void reloadRun(), 1500);
    return () => clearInterval(t);
  }, [live]);
  const act = a.run;
  return (
    <StateView res={res} retry={() => void reloadRun()} empty="">
      {(run) => {
        const pct = wizardProgress(run);
        return (
          <section aria-labelledby="wz-title">
            <div className="page-head">
              <button className="ghost" onClick={() => navigate({ screen: 'maintenance' })}>
                ← Maintenance
              </button>
              <h1 id="wz-title">{run.title}</h1>
              <RunStatusBadge status={run.status} testId="run-status" />
              <span className="spacer" />
              {live && (
                <button className="danger" onClick={() => setAborting(true)}>
                  Abort…
                </button>
              )}
            </div>
            <div className="row" style={{ marginBottom: 12 }}>
              <div style={{ flex: 1 }}>
                <Progress value={pct} label="Wizard progress" />
              </div>
              <span>{pct}%</span>
            </div>
            <ErrorBox error={a.error} />
            {run.status === 'aborted' && run.rollbackBackupId && (
              <div className="alert-box warning" style={{ marginBottom: 8 }}>
                Aborted. The pre-maintenance backup <span className="mono">{run.rollbackBackupId}</span> is
                the rollback point (Backups → Restore).
              </div>
            )}
            <ol className="steps">
              {run.steps.map((s) => {
                const dur = s.startedAt ? (s.completedAt ?? now) - s.startedAt : null;
                const detail =
                  s.result == null
                    ? null
                    : typeof s.result === 'string'
                      ? s.result
                      : ((s.result as { detail?: string }).detail ?? JSON.stringify(s.result));
                return (
                  <li
                    key={s.key}
                    className={`step ${s.status}`}
                    data-testid="wizard-step"
                    data-status={s.status}
                  >
                    <div className="row">
                      <span className="badge neutral">{s.phase}</span>
                      <strong>{s.title}</strong>
                      <StepBadge status={s.status} />
                      {s.status === 'running' && <span className="spinner" aria-label="Running" />}
                      <span className="spacer" />
                      {dur != null && <span className="muted">{formatDuration(dur)}</span>}
                    </div>
                    <div className="muted" style={{ fontSize: 13 }}>
                      {s.instructions}
                    </div>
                    {detail && <pre className="mono">{detail}</pre>}
                    {s.note && <div className="muted">Note: {s.note}</div>}
                    <div className="row" style={{ marginTop: 4 }}>
                      {s.jobId && (
                        <button className="small" onClick={() => navigate({ screen: 'job', id: s.jobId! })}>
                          Open job log
                        </button>
                      )}
                      {s.status === 'waiting' && live && (
                        <>
                          <button
                            className="small primary"
                            disabled={a.busy}
                            onClick={() => act(() => completeStep(run.id, s.key, 'done'))}
                          >
                            Mark done
                          </button>
                          <button
                            className="small"
                            disabled={a.busy}
                            onClick={() => act(() => completeStep(run.id, s.key, 'skipped'))}
                          >
                            Skip
                          </button>
                        </>
                      )}
                      {s.status === 'failed' && (
                        <button
                          className="small"
                          disabled={a.busy}
                          onClick={() => act(() => retryStep(run.id, s.key))}
                        >
                          Retry step
                        </button>
                      )}
                    </div>
                  </li>
                );
              })}
            </ol>
            {aborting && (
              <ConfirmDestructive
                title="Abort maintenance"
                target="abort"
                description={
                  <>
                    Stops the wizard.{' '}
                    {run.steps.some((s) => s.key === 'backup' && s.status === 'done')
                      ? 'A pre-maintenance backup exists.'
                      : 'No pre-maintenance backup was taken yet.'}
                    <Checkbox style={{ marginTop: 8 }} checked={rollback} onChange={setRollback}>
                      Roll back: restore the pre-maintenance backup
                    </Checkbox>
                  </>
                }
                action={rollback ? 'Abort and roll back' : 'Abort'}
                onConfirm={async () => {
                  const rollbackJobId = await abortRun(run.id, rollback);
                  if (rollbackJobId) navigate({ screen: 'job', id: rollbackJobId });
                }}
                onClose={() => setAborting(false)}
              />
            )}
          </section>
        );
      }}
    </StateView>
  );
}

function StepBadge({ status }: { status: ProcedureStep['status'] }) {
  const cls =
    status === 'done'
      ? 'ok'
      : status === 'failed'
        ? 'bad'
        : status === 'waiting'
          ? 'warn'
          : status === 'running'
            ? 'info'
            : 'neutral';
  return <span className={`badge ${cls}`}>{titleCase(status)}</span>;
}
