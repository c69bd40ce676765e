import { DateTime } from 'luxon';
import { useEffect, useState, type ComponentProps } from 'react';
import type { Override, Rotation, Schedule } from '../../../../shared/api/oncall';
import { DataTable, hiddenHeader, type Column } from '../../ui/DataTable';
import { ConfirmDestructive } from '../../ui/Dialog';
import { StateView } from '../../ui/feedback';
import { currentUser, useSession } from '../auth/session';
import { FeedLink } from './FeedLink';
import { ImportDialog } from './ImportDialog';
import { OverrideDialog, RotationDialog, ScheduleDialog } from './ScheduleDialogs';
import { WeekCalendar } from './WeekCalendar';
import {
  deleteOverride,
  deleteRotation,
  deleteSchedule,
  loadPeople,
  loadSchedules,
  moveWeek,
  openSchedule,
  useOncall,
} from './slice';

type Open =
  | { kind: 'new' }
  | { kind: 'edit' }
  | { kind: 'import' }
  | { kind: 'rotation'; rotation: Rotation | null }
  | { kind: 'override'; override?: Override }
  | { kind: 'confirm'; confirm: Omit<ComponentProps<typeof ConfirmDestructive>, 'onClose'> }
  | null;

function rotationColumns(
  people: Map<string, string>,
  edit: (r: Rotation) => void,
  remove: (r: Rotation) => void,
  isAdmin: boolean,
): Column<Rotation>[] {
  return [
    { id: 'name', header: 'Rotation', cell: (r) => r.name },
    { id: 'layer', header: 'Layer', cell: (r) => r.layer },
    {
      id: 'kind',
      header: 'Shifts',
      cell: (r) => (r.kind === 'custom' ? `every ${(r.shiftMinutes ?? 0) / 60} h` : r.kind),
    },
    { id: 'handoff', header: 'Hand-off', cell: (r) => `${r.handoffTime} from ${r.startDate}` },
    {
      id: 'who',
      header: 'Participants',
      cell: (r) => r.participants.map((id) => people.get(id) ?? id).join(' → '),
    },
    {
      id: 'actions',
      header: hiddenHeader('Actions'),
      cell: (r) =>
        isAdmin && (
          <div className="row">
            <button className="small" onClick={() => edit(r)}>
              Edit
            </button>
            <button className="small danger" onClick={() => remove(r)}>
              Delete
            </button>
          </div>
        ),
    },
  ];
}

function ScheduleDetail({
  schedule,
  isAdmin,
  open,
}: {
  schedule: Schedule;
  isAdmin: boolean;
  open: (o: Open) => void;
}) {
  const shifts = useOncall((s) => s.shifts);
  const weekStart = useOncall((s) => s.weekStart);
  const summary = useOncall((s) => s.schedules.data?.find((x) => x.id === schedule.id));
  const people = new Map((useOncall((s) => s.people.data) ?? []).map((p) => [p.id, p.name]));
  const zone = schedule.timeZone;
  const fmt = (ms: number) => DateTime.fromMillis(ms, { zone }).toFormat('ccc d LLL HH:mm');
  const now = summary?.onCall;
  return (
    <section aria-label={`Schedule ${schedule.name}`}>
      <div className="row">
        <h2 style={{ flex: 1 }}>
          {schedule.name} <span className="muted">({zone})</span>
        </h2>
        {isAdmin && <button onClick={() => open({ kind: 'edit' })}>Edit schedule</button>}
        {isAdmin && <button onClick={() => open({ kind: 'rotation', rotation: null })}>Add rotation</button>}
        {isAdmin && <button onClick={() => open({ kind: 'import' })}>Import iCal…</button>}
        <button className="primary" onClick={() => open({ kind: 'override' })}>
          Add override
        </button>
        {isAdmin && (
          <button
            className="danger"
            onClick={() =>
              open({
                kind: 'confirm',
                confirm: {
                  title: 'Delete schedule',
                  target: schedule.name,
                  description:
                    'Its rotations, overrides and calendar feeds go with it; escalation levels naming it page nobody.',
                  action: 'Delete schedule',
                  onConfirm: () => deleteSchedule(schedule.id),
                },
              })
            }
          >
            Delete schedule
          </button>
        )}
      </div>
      <p data-testid="schedule-now">
        On call now:{' '}
        <strong>{now?.current ? `${now.current.userName} until ${fmt(now.current.end)}` : 'nobody'}</strong>
        {now?.next && (
          <span className="muted">
            {' '}
            · next: {now.next.userName} from {fmt(now.next.start)}
          </span>
        )}
      </p>
      <div className="row">
        <button onClick={() => void moveWeek(-1)} aria-label="Previous week">
          ←
        </button>
        <button onClick={() => void openSchedule(schedule.id)}>This week</button>
        <button onClick={() => void moveWeek(1)} aria-label="Next week">
          →
        </button>
      </div>
      <StateView
        res={shifts}
        retry={() => void openSchedule(schedule.id, weekStart ?? undefined)}
        empty="No shifts."
      >
        {(data) =>
          schedule.rotations.length === 0 && data.final.length === 0 ? (
            <div className="state">No rotations yet{isAdmin ? ': add one to see its shifts here.' : '.'}</div>
          ) : (
            <WeekCalendar data={data} weekStart={weekStart!} />
          )
        }
      </StateView>
      <h3>Rotations</h3>
      {schedule.rotations.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <DataTable
          columns={rotationColumns(
            people,
            (r) => open({ kind: 'rotation', rotation: r }),
            (r) =>
              open({
                kind: 'confirm',
                confirm: {
                  title: 'Delete rotation',
                  target: r.name,
                  description: 'Its shifts disappear from the schedule at once.',
                  action: 'Delete rotation',
                  onConfirm: () => deleteRotation(r.id),
                },
              }),
            isAdmin,
          )}
          rows={schedule.rotations}
          rowKey={(r) => r.id}
        />
      )}
      <h3>Overrides</h3>
      {schedule.overrides.length === 0 ? (
        <p className="muted">None coming up.</p>
      ) : (
        <ul>
          {schedule.overrides.map((o) => (
            <li key={o.id} className="row">
              <span style={{ flex: 1 }}>
                ⇄ {people.get(o.userId) ?? o.userId}
                {o.coversUserId && ` covers ${people.get(o.coversUserId) ?? o.coversUserId}`} from{' '}
                {fmt(o.startsAt)} to {fmt(o.endsAt)} {o.note && <span className="muted">({o.note})</span>}
              </span>
              <button className="small" onClick={() => open({ kind: 'override', override: o })} aria-label={`Edit override of ${people.get(o.userId) ?? o.userId}`}>
                Edit
              </button>
              <button
                className="small danger"
                onClick={() =>
                  open({
                    kind: 'confirm',
                    confirm: {
                      title: 'Delete override',
                      target: people.get(o.userId) ?? o.userId,
                      description: "The rotation's person is on call again for those hours.",
                      action: 'Delete override',
                      onConfirm: () => deleteOverride(o.id),
                    },
                  })
                }
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      <h3>Calendar feed (iCal)</h3>
      <FeedLink schedule={schedule} />
    </section>
  );
}

export function SchedulesTab() {
  const schedules = useOncall((s) => s.schedules);
  const selectedId = useOncall((s) => s.selectedId);
  const schedule = useOncall((s) => s.schedule);
  const people = useOncall((s) => s.people.data) ?? [];
  const isAdmin = useSession(currentUser)?.role === 'admin';
  const [dialog, setDialog] = useState<Open>(null);
  useEffect(() => {
    void loadSchedules({ fresh: true }).then(() => {
      const first = useOncall.getState().schedules.data?.[0];
      if (first && !useOncall.getState().selectedId) void openSchedule(first.id);
    });
    void loadPeople(isAdmin);
  }, [isAdmin]);
  const s = schedule.data?.id === selectedId ? schedule.data : undefined;
  return (
    <div className="oncall-layout">
      <nav className="oncall-list" aria-label="Schedules">
        {isAdmin && (
          <button className="primary" onClick={() => setDialog({ kind: 'new' })}>
            New schedule
          </button>
        )}
        <StateView
          res={schedules}
          retry={() => void loadSchedules()}
          empty={isAdmin ? 'No schedules yet: create one.' : 'No schedules yet.'}
        >
          {(list) =>
            list.map((x) => (
              <button key={x.id} aria-current={x.id === selectedId} onClick={() => void openSchedule(x.id)}>
                {x.name}
                <div className="muted">{x.onCall.current ? x.onCall.current.userName : 'nobody on call'}</div>
              </button>
            ))
          }
        </StateView>
      </nav>
      <div>
        {selectedId && !s && (
          <StateView res={schedule} retry={() => void openSchedule(selectedId)} empty="">
            {() => null}
          </StateView>
        )}
        {s && <ScheduleDetail schedule={s} isAdmin={isAdmin} open={setDialog} />}
      </div>
      {dialog?.kind === 'new' && <ScheduleDialog onClose={() => setDialog(null)} />}
      {dialog?.kind === 'import' && s && <ImportDialog schedule={s} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'edit' && s && <ScheduleDialog schedule={s} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'rotation' && s && (
        <RotationDialog
          schedule={s}
          rotation={dialog.rotation}
          people={people}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'override' && s && (
        <OverrideDialog schedule={s} people={people} override={dialog.override ?? null} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'confirm' && (
        <ConfirmDestructive {...dialog.confirm} onClose={() => setDialog(null)} />
      )}
    </div>
  );
}
