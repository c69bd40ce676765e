import { useEffect, useState } from 'react';
import type { ProcedureDefinitionInfo, ProcedureRun } from '../../../../shared/api/procedures';
import { on } from '../../api';
import { formatTime } from '../../lib/format';
import { DataTable, hiddenHeader, type Column } from '../../ui/DataTable';
import { Progress, StateView } from '../../ui/feedback';
import { useNow } from '../../ui/hooks';
import { currentUser, useSession } from '../auth/session';
import { RunStatusBadge } from '../maintenance/RunStatusBadge';
import { navigate } from '../shell/ui';
import { DueBadge } from './RunView';
import { loadHistory, loadOpen, loadOverview, progress, useProcedures, roleLabel } from './slice';
import { StartDialog } from './StartDialog';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sundays', 'Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays'];

/** The checklists' cron schedules as people say them ("Mondays 08:00 UTC"); anything else as written. */
export function scheduleText(cron: string): string {
  const [min, hour, dom, mon, dow] = cron.split(' ');
  if (!/^\d+$/.test(min ?? '') || !/^\d+$/.test(hour ?? '')) return cron;
  const at = `${hour!.padStart(2, '0')}:${min!.padStart(2, '0')} UTC`;
  if (dom === '*' && mon === '*' && dow === '*') return `Daily at ${at}`;
  if (dom === '*' && mon === '*' && /^\d$/.test(dow ?? '')) return `${DAYS[Number(dow)]} at ${at}`;
  if (dom === '1' && mon === '*' && dow === '*') return `1st of each month at ${at}`;
  if (dom === '1' && /^[\d,]+$/.test(mon ?? '') && dow === '*')
    return `1st of ${mon!
      .split(',')
      .map((m) => MONTHS[Number(m) - 1])
      .join(', ')} at ${at}`;
  return cron;
}

function runColumns(now: number, defs: ProcedureDefinitionInfo[]): Column<ProcedureRun>[] {
  return [
    {
      id: 'title',
      header: 'Procedure',
      cell: (r) => (
        <>
          <strong>{r.title}</strong>
          {r.level && (
            <div className="muted">
              {defs.find((d) => d.id === r.procedure)?.levels.find((l) => l.id === r.level)?.label ?? r.level}
            </div>
          )}
        </>
      ),
    },
    { id: 'role', header: 'Assigned to', cell: (r) => roleLabel(r.assignedRole) },
    { id: 'due', header: 'Due', cell: (r) => <DueBadge run={r} now={now} /> },
    { id: 'started', header: 'Started', cell: (r) => formatTime(r.createdAt) },
    { id: 'status', header: 'Status', cell: (r) => <RunStatusBadge status={r.status} /> },
    {
      id: 'progress',
      header: 'Progress',
      td: () => ({ style: { width: 170 } }),
      cell: (r) => {
        const p = progress(r);
        return (
          <div className="row" style={{ flexWrap: 'nowrap' }}>
            <div style={{ flex: 1 }}>
              <Progress value={p.pct} label={`Progress of ${r.title}`} />
            </div>
            <span className="muted">
              {p.done}/{p.total}
            </span>
          </div>
        );
      },
    },
  ];
}

const openRunRow = (r: ProcedureRun) => ({
  className: 'clickable',
  'data-testid': 'run-row',
  onClick: () => navigate({ screen: 'procedures', id: `run:${r.id}` }),
});

/** Open runs first, then the emergency procedures and checklists to start, then the history. */
export function Overview({ starting }: { starting: string | null }) {
  const defs = useProcedures((s) => s.definitions);
  const open = useProcedures((s) => s.open);
  const history = useProcedures((s) => s.history);
  const historyOf = useProcedures((s) => s.historyOf);
  const isAdmin = useSession(currentUser)?.role === 'admin';
  const [start, setStart] = useState<ProcedureDefinitionInfo | null>(null);
  const now = useNow(30_000);
  useEffect(() => void loadOverview(), []);
  useEffect(() => on('procedures.changed', () => void Promise.all([loadOpen(), loadHistory()])), []);
  const list = defs.data ?? [];
  // The palette opens #/procedures/start:<id>: the dialog shows until it closes (back to #/procedures).
  const shown = start ?? (starting ? (list.find((x) => x.id === starting) ?? null) : null);
  const allowed = (d: ProcedureDefinitionInfo) => d.assignedRole !== 'admin' || isAdmin;
  const openOf = (id: string) => open.data?.find((r) => r.procedure === id);
  // The open runs and the history are the same table under two names.
  const runsTable = (runs: ProcedureRun[], label: string) => (
    <DataTable
      columns={runColumns(now, list)}
      rows={runs}
      rowKey={(r) => r.id}
      rowProps={openRunRow}
      aria-label={label}
    />
  );
  return (
    <section aria-labelledby="pr-title">
      <div className="page-head">
        <h1 id="pr-title">Procedures</h1>
      </div>
      <h2>Open runs</h2>
      <StateView
        res={open}
        retry={() => void loadOpen()}
        empty="Nothing is open: no emergency running, every checklist done."
      >
        {(runs) => runsTable(runs, 'Open runs')}
      </StateView>
      <h2>Emergency procedures</h2>
      <StateView
        res={defs}
        retry={() => void loadOverview()}
        empty="No procedures."
        isEmpty={(l) => !l.some((d) => d.category === 'emergency')}
      >
        {(all) => (
          <div className="charts">
            {all
              .filter((d) => d.category === 'emergency')
              .map((d) => (
                <div
                  key={d.id}
                  className="chart-card"
                  style={{ height: 'auto', gap: 6 }}
                  data-testid="emergency-card"
                >
                  <h3>{d.title}</h3>
                  <div className="muted" style={{ fontSize: 13, flex: 1 }}>
                    {d.description}
                  </div>
                  <div className="row">
                    <span className="badge neutral">{roleLabel(d.assignedRole)}</span>
                    <span className="muted">{d.levels.map((l) => l.label.split(':')[0]).join(' · ')}</span>
                    <span className="spacer" />
                    <button
                      className="small danger"
                      disabled={!allowed(d)}
                      title={allowed(d) ? undefined : 'Assigned to admins'}
                      onClick={() => setStart(d)}
                    >
                      Start…
                    </button>
                  </div>
                </div>
              ))}
          </div>
        )}
      </StateView>
      <h2>Checklists</h2>
      <DataTable
        aria-label="Checklists"
        rows={list.filter((d) => d.category === 'checklist')}
        rowKey={(d) => d.id}
        columns={[
          { id: 'title', header: 'Checklist', cell: (d) => <strong>{d.title}</strong> },
          { id: 'when', header: 'Created', cell: (d) => (d.schedule ? scheduleText(d.schedule) : 'by hand') },
          { id: 'role', header: 'Assigned to', cell: (d) => roleLabel(d.assignedRole) },
          {
            id: 'steps',
            header: 'Steps',
            cell: (d) =>
              `${d.steps.length} (${d.steps.filter((s) => s.kind !== 'manual').length} checked by the app)`,
          },
          {
            id: 'actions',
            header: hiddenHeader('Actions'),
            cell: (d) => {
              const r = openOf(d.id);
              return r ? (
                <button
                  className="small"
                  onClick={() => navigate({ screen: 'procedures', id: `run:${r.id}` })}
                >
                  Open ({progress(r).done}/{progress(r).total})
                </button>
              ) : (
                <button className="small primary" disabled={!allowed(d)} onClick={() => setStart(d)}>
                  Start now
                </button>
              );
            },
          },
        ]}
      />
      <div className="row" style={{ marginTop: 16 }}>
        <h2 style={{ margin: 0 }}>History</h2>
        <span className="spacer" />
        <label className="inline">
          Procedure{' '}
          <select
            value={historyOf ?? ''}
            onChange={(e) => void loadHistory(e.target.value || null, { fresh: true })}
          >
            <option value="">All</option>
            {list.map((d) => (
              <option key={d.id} value={d.id}>
                {d.title}
              </option>
            ))}
          </select>
        </label>
      </div>
      <StateView res={history} retry={() => void loadHistory()} empty="No finished runs yet.">
        {(runs) => runsTable(runs, 'History')}
      </StateView>
      {shown && (
        <StartDialog
          def={shown}
          onClose={() => {
            setStart(null);
            if (starting) navigate({ screen: 'procedures' });
          }}
        />
      )}
    </section>
  );
}
