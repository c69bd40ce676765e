import { useEffect, useState } from 'react';
import type { ProcedureRun } from '../../../../shared/api/procedures';
import { on } from '../../api';
import { formatTime, relativeTime, titleCase } from '../../lib/format';
import { ConfirmDestructive } from '../../ui/Dialog';
import { Progress, StateView } from '../../ui/feedback';
import { useNow } from '../../ui/hooks';
import { currentUser, useSession } from '../auth/session';
import { RunStatusBadge } from '../maintenance/RunStatusBadge';
import { navigate } from '../shell/ui';
import {
  abortRun,
  escalationOf,
  isLive,
  isOverdue,
  levelLabel,
  loadDefinitions,
  openRun,
  progress,
  reloadRun,
  useProcedures,
  roleLabel,
} from './slice';
import { StepItem } from './StepItem';

/** Due, overdue or done on time: the run's deadline as a badge. */
export function DueBadge({
  run,
  now,
}: {
  run: Pick<ProcedureRun, 'status' | 'dueAt' | 'finishedAt'>;
  now: number;
}) {
  if (run.dueAt === null) return null;
  if (isOverdue(run, now))
    return (
      <span className="badge bad" data-testid="due">
        Overdue since {formatTime(run.dueAt)}
      </span>
    );
  if (!isLive(run)) return <span className="muted">Due {formatTime(run.dueAt)}</span>;
  return (
    <span className="badge warn" data-testid="due">
      Due {relativeTime(run.dueAt, now)} ({formatTime(run.dueAt)})
    </span>
  );
}

/** A procedure run: its level, role, due time and escalation, then its steps by phase. */
export function RunView({ runId }: { runId: string }) {
  const res = useProcedures((s) => s.run);
  const defs = useProcedures((s) => s.definitions.data);
  const role = useSession(currentUser)?.role;
  const [aborting, setAborting] = useState(false);
  const now = useNow(1000);
  const live = isLive(res.data);
  useEffect(() => void openRun(runId), [runId]);
  useEffect(() => void loadDefinitions(), []);
  useEffect(() => on('procedures.changed', (e) => void (e.id === runId && reloadRun())), [runId]);
  // Live events carry the changes; a slow poll covers a dropped connection while the run moves.
  useEffect(() => {
    if (!live) return;
    const t = setInterval(() => void reloadRun(), 10_000);
    return () => clearInterval(t);
  }, [live]);
  return (
    <StateView res={res} retry={() => void reloadRun()} empty="">
      {(run) => {
        const def = defs?.find((d) => d.id === run.procedure);
        const p = progress(run);
        const ordered = def?.schedule === null;
        const current = run.steps.find((s) => s.status !== 'done' && s.status !== 'skipped');
        const phases = [...new Set(run.steps.map((s) => s.phase))];
        const mayAct = run.assignedRole !== 'admin' || role === 'admin';
        const autoCount = run.steps.filter(
          (s) => s.status === 'done' && s.completedBy?.startsWith('system'),
        ).length;
        return (
          <section aria-labelledby="run-title">
            <div className="page-head">
              <button className="ghost" onClick={() => navigate({ screen: 'procedures' })}>
                ← Procedures
              </button>
              <h1 id="run-title">{run.title}</h1>
              <RunStatusBadge status={run.status} testId="run-status" />
              <span className="spacer" />
              {live && role === 'admin' && (
                <button className="danger" onClick={() => setAborting(true)}>
                  Abort…
                </button>
              )}
            </div>
            <div className="row" style={{ marginBottom: 8 }}>
              {run.level && <span className="badge bad">{levelLabel(def, run.level)}</span>}
              <span className="badge neutral">Assigned to {roleLabel(run.assignedRole)}</span>
              <DueBadge run={run} now={now} />
              {def?.category === 'emergency' && live && (
                <span className="badge warn" data-testid="escalation">
                  Escalation level {escalationOf(run, now).level}: {escalationOf(run, now).who}
                </span>
              )}
              {run.remindedAt && <span className="muted">Reminder sent {formatTime(run.remindedAt)}</span>}
              {typeof run.state.incidentId === 'string' && (
                <button
                  className="small"
                  onClick={() => navigate({ screen: 'incidents', id: String(run.state.incidentId) })}
                >
                  Open incident
                </button>
              )}
              <span className="spacer" />
              <span className="muted">
                Started {formatTime(run.createdAt)}
                {run.occurrence ? ' on schedule' : ''}
                {run.finishedAt ? ` · finished ${formatTime(run.finishedAt)}` : ''}
              </span>
            </div>
            <div className="row" style={{ marginBottom: 12 }}>
              <div style={{ flex: 1 }}>
                <Progress value={p.pct} label="Procedure progress" />
              </div>
              <span data-testid="run-progress">
                {p.done} of {p.total} done · {autoCount} auto-ticked
              </span>
            </div>
            {!mayAct && (
              <div className="alert-box info">
                This procedure is assigned to admins: you can read it and add notes.
              </div>
            )}
            {run.status === 'aborted' && (
              <div className="alert-box warning" style={{ marginBottom: 8 }}>
                Aborted by {String(run.state.abortedBy ?? 'someone')}:{' '}
                {String(run.state.abortReason ?? 'no reason given')}
              </div>
            )}
            {phases.map((phase) => (
              <div key={phase} style={{ marginBottom: 12 }}>
                <h2 style={{ fontSize: 15 }}>{titleCase(phase.replace(/-/g, ' '))}</h2>
                <ol className="steps" aria-label={`${titleCase(phase)} steps`}>
                  {run.steps
                    .filter((s) => s.phase === phase)
                    .map((s) => (
                      <StepItem
                        key={s.key}
                        runId={run.id}
                        step={s}
                        live={run.status !== 'completed' && run.status !== 'aborted'}
                        actionable={mayAct && (!ordered || s.key === current?.key)}
                      />
                    ))}
                </ol>
              </div>
            ))}
            {aborting && (
              <ConfirmDestructive
                title={`Abort ${run.title}`}
                target="abort"
                description="Stops the run: open steps are skipped and it moves to the history."
                action="Abort run"
                onConfirm={() => abortRun(run.id, 'aborted from the procedures screen')}
                onClose={() => setAborting(false)}
              />
            )}
          </section>
        );
      }}
    </StateView>
  );
}
