import { useEffect, useState } from 'react';
import type { ProcedureRun } from '../../../../shared/api/procedures';
import type { MaintenanceWindow } from '../../../../shared/ipc';
import { on } from '../../api';
import { formatTime } from '../../lib/format';
import { DataTable, hiddenHeader, type Column } from '../../ui/DataTable';
import { ConfirmDestructive } from '../../ui/Dialog';
import { ErrorBox, Progress, StateView } from '../../ui/feedback';
import { useAction } from '../../ui/hooks';
import { navigate } from '../shell/ui';
import { RunStatusBadge } from './RunStatusBadge';
import { StartWizardDialog } from './StartWizardDialog';
import { cancelWindow, isLive, loadWindowList, loadWindows, useMaintenance, wizardProgress } from './slice';

/** The operational documentation's notice before scheduled maintenance (the backend sends it). */
const NOTICE_MS = 48 * 3_600_000;

function windowColumns(
  start: (w: MaintenanceWindow) => void,
  cancel: (w: MaintenanceWindow) => void,
): Column<MaintenanceWindow>[] {
  return [
    {
      id: 'title',
      header: 'Title',
      cell: (w) => (
        <>
          <strong>{w.title}</strong>
          {w.announcement && <div className="muted">{w.announcement}</div>}
          {w.silencing && <div className="field-error">{w.silencing}</div>}
        </>
      ),
    },
    {
      id: 'when',
      header: 'When',
      cell: (w) => (
        <>
          {formatTime(w.currentStart ?? w.startsAt)} – {formatTime(w.currentEnd ?? w.endsAt)}
          {w.status === 'scheduled' && (
            <div className="muted" data-testid="notice">
              {w.noticeSentAt
                ? `48-hour notice sent ${formatTime(w.noticeSentAt)}`
                : `48-hour notice goes out ${formatTime((w.currentStart ?? w.startsAt) - NOTICE_MS)}`}
            </div>
          )}
        </>
      ),
    },
    { id: 'recurs', header: 'Recurs', td: () => ({ className: 'mono' }), cell: (w) => w.cron ?? 'once' },
    { id: 'services', header: 'Services', cell: (w) => w.services.join(', ') || '—' },
    {
      id: 'status',
      header: 'Status',
      cell: (w) => <span className={`badge ${w.status === 'active' ? 'warn' : 'info'}`}>{w.status}</span>,
    },
    {
      id: 'actions',
      header: hiddenHeader('Actions'),
      cell: (w) => (
        <div className="row">
          <button className="small primary" onClick={() => start(w)}>
            Start wizard…
          </button>
          <button className="small" onClick={() => cancel(w)}>
            Cancel window
          </button>
        </div>
      ),
    },
  ];
}

const RUN_COLUMNS: Column<ProcedureRun>[] = [
  { id: 'title', header: 'Title', cell: (r) => r.title },
  { id: 'created', header: 'Started', cell: (r) => formatTime(r.createdAt) },
  { id: 'status', header: 'Status', cell: (r) => <RunStatusBadge status={r.status} /> },
  {
    id: 'progress',
    header: 'Progress',
    td: () => ({ style: { width: 160 } }),
    cell: (r) => <Progress value={wizardProgress(r)} label={`Progress of ${r.title}`} />,
  },
];

export function WindowList() {
  const windows = useMaintenance((s) => s.windows);
  const runs = useMaintenance((s) => s.runs);
  const [cancelling, setCancelling] = useState<MaintenanceWindow | null>(null);
  const [starting, setStarting] = useState<MaintenanceWindow | null>(null);
  const a = useAction();
  useEffect(() => void loadWindowList(), []);
  useEffect(() => on('maintenance.changed', () => void loadWindows()), []);
  const unfinished = (runs.data ?? []).filter(isLive);
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
        retry={() => void loadWindows()}
        empty="No maintenance is scheduled."
        isEmpty={(l) => l.filter((w) => w.status === 'scheduled' || w.status === 'active').length === 0}
      >
        {(list) => (
          <DataTable
            columns={windowColumns(setStarting, setCancelling)}
            rows={list
              .filter((w) => w.status === 'scheduled' || w.status === 'active')
              .sort((x, y) => (x.currentStart ?? x.startsAt) - (y.currentStart ?? y.startsAt))}
            rowKey={(w) => w.id}
          />
        )}
      </StateView>
      <h2>Recent wizard runs</h2>
      <StateView
        res={runs}
        retry={() => void loadWindowList({ fresh: false })}
        empty="No wizard has run yet."
      >
        {(list) => (
          <DataTable
            headless
            columns={RUN_COLUMNS}
            rows={list}
            rowKey={(r) => r.id}
            rowProps={(r) => ({
              className: 'clickable',
              onClick: () => navigate({ screen: 'maintenance', id: `run:${r.id}` }),
            })}
          />
        )}
      </StateView>
      {starting && <StartWizardDialog window={starting} onClose={() => setStarting(null)} />}
      {cancelling && (
        <ConfirmDestructive
          title="Cancel maintenance window"
          target={cancelling.title}
          description={`Cancels “${cancelling.title}” and lifts its alert silences.`}
          action="Cancel window"
          onConfirm={() => cancelWindow(cancelling.id)}
          onClose={() => setCancelling(null)}
        />
      )}
    </section>
  );
}
