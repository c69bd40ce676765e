import { useEffect, useState } from 'react';
import type { MaintenanceWindow } from '../../../../shared/ipc';
import { call, http, on } from '../../api';
import {
  ConfirmDestructive,
  Dialog,
  ErrorBox,
  Progress,
  StateView,
  useAction,
  useNow,
  useResource,
} from '../../ui/common';
import { formatDuration, formatTime, titleCase } from '../../lib/format';
import { navigate, toast } from '../shell/ui';

/** The server's procedure run (shared/api/procedures), as the wizard reads it. */
export interface RunStep {
  index: number;
  key: string;
  phase: string;
  title: string;
  kind: 'manual' | 'runbook' | 'check' | 'action' | 'watch';
  instructions: string;
  status: 'pending' | 'running' | 'waiting' | 'done' | 'failed' | 'skipped';
  result: unknown;
  jobId: string | null;
  completedBy: string | null;
  startedAt: number | null;
  completedAt: number | null;
  note: string | null;
}
export interface ProcedureRun {
  id: string;
  procedure: string;
  title: string;
  status: 'running' | 'waiting' | 'completed' | 'failed' | 'aborted';
  maintenanceId: string | null;
  createdAt: number;
  finishedAt: number | null;
  steps: RunStep[];
  rollbackBackupId: string | null;
}

export function wizardProgress(run: Pick<ProcedureRun, 'steps'>): number {
  if (!run.steps.length) return 0;
  return Math.round(
    (run.steps.filter((s) => s.status === 'done' || s.status === 'skipped').length / run.steps.length) * 100,
  );
}

export default function Maintenance({ id }: { id?: string }) {
  if (id === 'new') return <ScheduleForm />;
  if (id?.startsWith('run:')) return <Wizard runId={id.slice(4)} />;
  return <WindowList />;
}

function WindowList() {
  const windows = useResource(() => call('maintenance.list'), []);
  const runs = useResource(
    () => http<ProcedureRun[]>('GET', '/procedures/runs', undefined, { procedure: 'maintenance', limit: 20 }),
    [],
  );
  const [cancelling, setCancelling] = useState<MaintenanceWindow | null>(null);
  const [starting, setStarting] = useState<MaintenanceWindow | null>(null);
  const a = useAction();
  const reloadWindows = windows.reload;
  useEffect(() => on('maintenance.changed', () => reloadWindows()), [reloadWindows]);
  const unfinished = (runs.data ?? []).filter((r) => r.status === 'running' || r.status === 'waiting');
  return (
    <section aria-labelledby="mw-title">
      <div className="page-head">
        <h1 id="mw-title">Maintenance</h1>
        <span className="spacer" />
        <button className="primary" onClick={() => navigate({ screen: 'maintenance', id: 'new' })}>
          Schedule maintenance
        </button>
      </div>
      {unfinished.length > 0 && (
        <div className="alert-box info" style={{ marginBottom: 12 }}>
          {unfinished.map((r) => (
            <div key={r.id} className="row">
              Wizard “{r.title}” is {r.status} ({wizardProgress(r)}%).
              <button
                className="small primary"
                onClick={() => navigate({ screen: 'maintenance', id: `run:${r.id}` })}
              >
                Resume
              </button>
            </div>
          ))}
        </div>
      )}
      <ErrorBox error={a.error} />
      <h2>Upcoming and active windows</h2>
      <StateView
        res={windows}
        empty="No maintenance is scheduled."
        isEmpty={(l) => l.filter((w) => w.status === 'scheduled' || w.status === 'active').length === 0}
      >
        {(list) => (
          <table className="data">
            <thead>
              <tr>
                <th>Title</th>
                <th>When</th>
                <th>Recurs</th>
                <th>Services</th>
                <th>Status</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list
                .filter((w) => w.status === 'scheduled' || w.status === 'active')
                .sort((x, y) => (x.currentStart ?? x.startsAt) - (y.currentStart ?? y.startsAt))
                .map((w) => (
                  <tr key={w.id}>
                    <td>
                      <strong>{w.title}</strong>
                      {w.announcement && <div className="muted">{w.announcement}</div>}
                      {w.silencing && <div className="field-error">{w.silencing}</div>}
                    </td>
                    <td>
                      {formatTime(w.currentStart ?? w.startsAt)} – {formatTime(w.currentEnd ?? w.endsAt)}
                    </td>
                    <td className="mono">{w.cron ?? 'once'}</td>
                    <td>{w.services.join(', ') || '—'}</td>
                    <td>
                      <span className={`badge ${w.status === 'active' ? 'warn' : 'info'}`}>{w.status}</span>
                    </td>
                    <td>
                      <div className="row">
                        <button className="small primary" onClick={() => setStarting(w)}>
                          Start wizard…
                        </button>
                        <button className="small" onClick={() => setCancelling(w)}>
                          Cancel window
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        )}
      </StateView>
      <h2>Recent wizard runs</h2>
      <StateView res={runs} empty="No wizard has run yet.">
        {(list) => (
          <table className="data">
            <tbody>
              {list.map((r) => (
                <tr
                  key={r.id}
                  className="clickable"
                  onClick={() => navigate({ screen: 'maintenance', id: `run:${r.id}` })}
                >
                  <td>{r.title}</td>
                  <td>{formatTime(r.createdAt)}</td>
                  <td>
                    <span
                      className={`badge ${r.status === 'completed' ? 'ok' : r.status === 'failed' || r.status === 'aborted' ? 'bad' : 'info'}`}
                    >
                      {r.status}
                    </span>
                  </td>
                  <td style={{ width: 160 }}>
                    <Progress value={wizardProgress(r)} label={`Progress of ${r.title}`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </StateView>
      {starting && <StartWizardDialog window={starting} onClose={() => setStarting(null)} />}
      {cancelling && (
        <ConfirmDestructive
          title="Cancel maintenance window"
          target={cancelling.title}
          description={`Cancels “${cancelling.title}” and lifts its alert silences.`}
          action="Cancel window"
          onConfirm={async () => {
            await call('maintenance.cancel', { id: cancelling.id });
            windows.reload();
          }}
          onClose={() => setCancelling(null)}
        />
      )}
    </section>
  );
}

function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

function ScheduleForm() {
  const [start] = useState(() => Math.ceil((Date.now() + 3600_000) / 900_000) * 900_000);
  const [title, setTitle] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const [startsAt, setStartsAt] = useState(toLocalInput(start));
  const [endsAt, setEndsAt] = useState(toLocalInput(start + 2 * 3600_000));
  const [recurring, setRecurring] = useState(false);
  const [cron, setCron] = useState('0 2 * * 0');
  const [services, setServices] = useState('');
  const [silence, setSilence] = useState(true);
  const a = useAction();
  const s = new Date(startsAt).getTime();
  const e = new Date(endsAt).getTime();
  const orderError =
    Number.isFinite(s) && Number.isFinite(e) && e <= s ? 'The end must be after the start.' : null;
  const cronError =
    recurring && cron.trim().split(/\s+/).length < 5
      ? 'A cron expression has five fields: minute hour day month weekday.'
      : null;
  return (
    <section aria-labelledby="sch-title">
      <h1 id="sch-title">Schedule maintenance</h1>
      <form
        className="form"
        onSubmit={(ev) => {
          ev.preventDefault();
          if (orderError || cronError) return;
          void a.run(async () => {
            await call('maintenance.schedule', {
              title,
              announcement,
              startsAt: s,
              endsAt: e,
              cron: recurring ? cron.trim() : undefined,
              timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
              services: services
                .split(',')
                .map((x) => x.trim())
                .filter(Boolean),
              silenceAlerts: silence,
            });
            toast('Maintenance scheduled', 'ok');
            navigate({ screen: 'maintenance' });
          });
        }}
      >
        <label>
          Title
          <input required value={title} onChange={(ev) => setTitle(ev.target.value)} maxLength={200} />
        </label>
        <label>
          Announcement
          <textarea
            value={announcement}
            onChange={(ev) => setAnnouncement(ev.target.value)}
            placeholder="What users will see"
          />
        </label>
        <fieldset className="row" style={{ border: 0, padding: 0 }}>
          <legend className="sr-only">Kind</legend>
          <label className="inline">
            <input type="radio" checked={!recurring} onChange={() => setRecurring(false)} /> One-off
          </label>
          <label className="inline">
            <input type="radio" checked={recurring} onChange={() => setRecurring(true)} /> Recurring
          </label>
        </fieldset>
        <div className="row">
          <label>
            {recurring ? 'First start' : 'Starts'}
            <input
              type="datetime-local"
              required
              value={startsAt}
              onChange={(ev) => setStartsAt(ev.target.value)}
            />
          </label>
          <label>
            Ends
            <input
              type="datetime-local"
              required
              value={endsAt}
              onChange={(ev) => setEndsAt(ev.target.value)}
              aria-invalid={!!orderError}
            />
          </label>
        </div>
        {orderError && <span className="field-error">{orderError}</span>}
        {recurring && (
          <label>
            Repeats (cron, for the start)
            <input
              className="mono"
              value={cron}
              onChange={(ev) => setCron(ev.target.value)}
              aria-invalid={!!cronError}
            />
            <span className={cronError ? 'field-error' : 'field-hint'}>
              {cronError ?? 'e.g. 0 2 * * 0 = Sundays at 02:00; each occurrence lasts as long as the first.'}
            </span>
          </label>
        )}
        <label>
          Services in scope
          <input
            value={services}
            onChange={(ev) => setServices(ev.target.value)}
            placeholder="api, worker (comma separated)"
          />
        </label>
        <label className="inline">
          <input type="checkbox" checked={silence} onChange={(ev) => setSilence(ev.target.checked)} /> Silence
          alerts of these services during the window
        </label>
        <ErrorBox error={a.error} />
        <div className="row end">
          <button type="button" onClick={() => navigate({ screen: 'maintenance' })}>
            Cancel
          </button>
          <button className="primary" disabled={a.busy}>
            Schedule
          </button>
        </div>
      </form>
    </section>
  );
}

function Wizard({ runId }: { runId: string }) {
  const res = useResource(
    () => http<ProcedureRun>('GET', `/procedures/runs/${encodeURIComponent(runId)}`),
    [runId],
  );
  const [aborting, setAborting] = useState(false);
  const [rollback, setRollback] = useState(true);
  const a = useAction();
  const now = useNow(1000);
  const live = res.data && (res.data.status === 'running' || res.data.status === 'waiting');
  useEffect(() => {
    if (!live) return;
    const t = setInterval(res.reload, 1500);
    return () => clearInterval(t);
  }, [live, res.reload]);
  const act = (fn: () => Promise<unknown>) => a.run(async () => (await fn(), res.reload()));
  return (
    <StateView res={res} empty="">
      {(run) => {
        const pct = wizardProgress(run);
        return (
          <section aria-labelledby="wz-title">
            <div className="page-head">
              <button className="ghost" onClick={() => navigate({ screen: 'maintenance' })}>
                ← Maintenance
              </button>
              <h1 id="wz-title">{run.title}</h1>
              <span
                className={`badge ${run.status === 'completed' ? 'ok' : run.status === 'failed' || run.status === 'aborted' ? 'bad' : 'info'}`}
                data-testid="run-status"
              >
                {run.status}
              </span>
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
                            onClick={() =>
                              act(() =>
                                http('POST', `/procedures/runs/${run.id}/steps/${s.key}/complete`, {
                                  outcome: 'done',
                                }),
                              )
                            }
                          >
                            Mark done
                          </button>
                          <button
                            className="small"
                            disabled={a.busy}
                            onClick={() =>
                              act(() =>
                                http('POST', `/procedures/runs/${run.id}/steps/${s.key}/complete`, {
                                  outcome: 'skipped',
                                }),
                              )
                            }
                          >
                            Skip
                          </button>
                        </>
                      )}
                      {s.status === 'failed' && (
                        <button
                          className="small"
                          disabled={a.busy}
                          onClick={() =>
                            act(() => http('POST', `/procedures/runs/${run.id}/steps/${s.key}/retry`, {}))
                          }
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
                    <label className="inline" style={{ marginTop: 8 }}>
                      <input
                        type="checkbox"
                        checked={rollback}
                        onChange={(e) => setRollback(e.target.checked)}
                      />{' '}
                      Roll back: restore the pre-maintenance backup
                    </label>
                  </>
                }
                action={rollback ? 'Abort and roll back' : 'Abort'}
                onConfirm={async () => {
                  const r = await http<{ run: ProcedureRun; rollbackJobId: string | null }>(
                    'POST',
                    `/procedures/runs/${run.id}/abort`,
                    { rollback, reason: 'aborted from the wizard' },
                  );
                  res.reload();
                  if (r.rollbackJobId) navigate({ screen: 'job', id: r.rollbackJobId });
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

function StepBadge({ status }: { status: RunStep['status'] }) {
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

const TASK_RUNBOOKS = ['run-health-checks', 'vacuum-analyze', 'cleanup-logs'];

/** The wizard's parameters: the tasks phase and how long to watch afterwards. */
function StartWizardDialog({ window: w, onClose }: { window: MaintenanceWindow; onClose: () => void }) {
  const [tasks, setTasks] = useState<string[]>([]);
  const [watch, setWatch] = useState('15');
  const a = useAction();
  const watchError = !/^\d+$/.test(watch) || Number(watch) > 1440 ? 'Whole minutes, 0 to 1440.' : null;
  return (
    <Dialog title={`Start the wizard for “${w.title}”`} onClose={onClose}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (watchError) return;
          void a.run(async () => {
            const run = await http<ProcedureRun>('POST', `/maintenance/${encodeURIComponent(w.id)}/wizard`, {
              params: {
                watchMinutes: Number(watch),
                tasks: tasks.map((runbook) => ({ runbook, params: {} })),
              },
            });
            onClose();
            navigate({ screen: 'maintenance', id: `run:${run.id}` });
          });
        }}
      >
        <p className="muted" style={{ margin: 0 }}>
          Pre-maintenance checklist (notify, verified backup, silence, record version), the tasks you choose,
          then the post-maintenance checklist and a watch period.
        </p>
        <fieldset style={{ border: '1px solid var(--border)', borderRadius: 6 }}>
          <legend>Tasks</legend>
          {TASK_RUNBOOKS.map((r) => (
            <label key={r} className="inline">
              <input
                type="checkbox"
                checked={tasks.includes(r)}
                onChange={(e) => setTasks(e.target.checked ? [...tasks, r] : tasks.filter((x) => x !== r))}
              />{' '}
              <span className="mono">{r}</span>
            </label>
          ))}
        </fieldset>
        <label>
          Watch after maintenance (minutes)
          <input
            value={watch}
            onChange={(e) => setWatch(e.target.value)}
            inputMode="numeric"
            aria-invalid={!!watchError}
          />
          <span className={watchError ? 'field-error' : 'field-hint'}>
            {watchError ?? 'Error rate and latency are compared with the baseline; 0 skips the wait.'}
          </span>
        </label>
        <ErrorBox error={a.error} />
        <div className="row end">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button className="primary" disabled={a.busy}>
            Start
          </button>
        </div>
      </form>
    </Dialog>
  );
}
