import { useEffect, useState } from 'react';
import type { BusinessCalendar } from '../../../../shared/api/calendars';
import { ConfirmDestructive, FormDialog } from '../../ui/Dialog';
import { DataTable, hiddenHeader, type Column } from '../../ui/DataTable';
import { ErrorBox, StateView } from '../../ui/feedback';
import { useAction } from '../../ui/hooks';
import { toast } from '../../ui/toasts';
import { calendarInput, deleteCalendar, loadCalendars, saveCalendar, setQueueCalendar, useCalendars, WEEKDAYS } from './calendars';

type Day = { on: boolean; start: string; end: string };
const NO_QUEUES: never[] = [];
const OFFICE_DAYS: Day[] = WEEKDAYS.map((_, i) => ({ on: i < 5, start: '09:00', end: '17:00' }));

function formOf(c: BusinessCalendar | null) {
  if (!c) return { name: '', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, days: OFFICE_DAYS, holidays: '' };
  const days = WEEKDAYS.map((_, i) => {
    const w = c.hours.find((h) => h.day === i + 1);
    return w ? { on: true, start: w.start, end: w.end } : { on: false, start: '09:00', end: '17:00' };
  });
  return { name: c.name, timeZone: c.timeZone, days, holidays: c.holidays.join('\n') };
}

/** Admins: business-hours calendars (weekday hours, zone, holidays) and the one each queue's SLA follows. */
export function CalendarsTab() {
  const calendars = useCalendars((s) => s.calendars);
  const queues = useCalendars((s) => s.queues.data) ?? NO_QUEUES;
  const a = useAction();
  const [editing, setEditing] = useState<BusinessCalendar | 'new' | null>(null);
  const [deleting, setDeleting] = useState<BusinessCalendar | null>(null);
  useEffect(() => void loadCalendars(), []);

  const columns: Column<BusinessCalendar>[] = [
    { id: 'name', header: 'Calendar', cell: (c) => <strong>{c.name}</strong> },
    { id: 'zone', header: 'Time zone', cell: (c) => c.timeZone },
    { id: 'hours', header: 'Hours', cell: (c) => c.hours.map((h) => `${WEEKDAYS[h.day - 1]!.slice(0, 3)} ${h.start}–${h.end}`).join(', ') },
    { id: 'holidays', header: 'Holidays', cell: (c) => (c.holidays.length ? c.holidays.join(', ') : <span className="muted">none</span>) },
    { id: 'queues', header: 'Queues', cell: (c) => c.queueIds.map((id) => queues.find((q) => q.id === id)?.name ?? id).join(', ') || <span className="muted">none</span> },
    {
      id: 'actions',
      header: hiddenHeader('Actions'),
      cell: (c) => (
        <div className="row">
          <button className="small" onClick={() => setEditing(c)}>
            Edit
          </button>
          <button className="small danger" onClick={() => setDeleting(c)} disabled={c.queueIds.length > 0} title={c.queueIds.length ? 'Attach another calendar to its queues first' : undefined}>
            Delete
          </button>
        </div>
      ),
    },
  ];

  return (
    <StateView res={calendars} retry={() => void loadCalendars({ fresh: false })} empty="" isEmpty={() => false}>
      {(list) => (
        <>
          <p className="muted">SLA clocks of a queue with a calendar run only inside its hours. Changing a calendar (or the one a queue follows) re-lays the deadlines of the clocks running under it; paused, met and breached ones keep theirs. A queue without one runs around the clock.</p>
          <ErrorBox error={a.error} />
          {list.length === 0 ? <p className="muted">No calendar yet: every queue's SLA runs 24×7.</p> : <DataTable columns={columns} rows={list} rowKey={(c) => c.id} />}
          <div className="row" style={{ margin: '8px 0 16px' }}>
            <button className="primary" onClick={() => setEditing('new')}>
              + New calendar
            </button>
          </div>
          <h3>Queues</h3>
          <table className="table">
            <tbody>
              {queues.map((q) => (
                <tr key={q.id}>
                  <td>{q.name}</td>
                  <td>
                    <label className="inline">
                      <span className="sr-only">SLA calendar of {q.name}</span>
                      <select
                        aria-label={`SLA calendar of ${q.name}`}
                        value={q.slaCalendar?.id ?? ''}
                        disabled={a.busy}
                        onChange={(e) => void a.run(async () => {
                          await setQueueCalendar(q.id, e.target.value || null);
                          toast(`${q.name}: ${e.target.value ? 'business hours' : 'around the clock'}`, 'ok');
                        })}
                      >
                        <option value="">Around the clock (24×7)</option>
                        {list.map((c) => (
                          <option key={c.id} value={c.id}>
                            {c.name}
                          </option>
                        ))}
                      </select>
                    </label>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {editing && <CalendarDialog calendar={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
          {deleting && (
            <ConfirmDestructive
              title="Delete calendar"
              target={deleting.name}
              description={<>The calendar {deleting.name} is deleted; no queue follows it.</>}
              action="Delete calendar"
              onConfirm={() => deleteCalendar(deleting.id)}
              onClose={() => setDeleting(null)}
            />
          )}
        </>
      )}
    </StateView>
  );
}

function CalendarDialog({ calendar, onClose }: { calendar: BusinessCalendar | null; onClose: () => void }) {
  const [form, setForm] = useState(() => formOf(calendar));
  const a = useAction();
  const setDay = (i: number, patch: Partial<Day>) => setForm({ ...form, days: form.days.map((d, n) => (n === i ? { ...d, ...patch } : d)) });
  return (
    <FormDialog
      title={calendar ? `Edit ${calendar.name}` : 'New calendar'}
      onClose={onClose}
      busy={a.busy}
      error={a.error}
      submit="Save calendar"
      onSubmit={() => void a.run(async () => {
        await saveCalendar(calendar?.id ?? null, calendarInput(form));
        toast('Calendar saved', 'ok');
        onClose();
      })}
    >
      <label>
        Name
        <input required maxLength={80} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
      </label>
      <label>
        Time zone (IANA, e.g. Europe/Berlin)
        <input required value={form.timeZone} onChange={(e) => setForm({ ...form, timeZone: e.target.value })} />
      </label>
      <fieldset className="calendar-days">
        <legend>Business hours</legend>
        {WEEKDAYS.map((day, i) => (
          <div className="row" key={day}>
            <label className="inline" style={{ width: 130 }}>
              <input type="checkbox" checked={form.days[i]!.on} onChange={(e) => setDay(i, { on: e.target.checked })} /> {day}
            </label>
            <input type="time" aria-label={`${day} from`} value={form.days[i]!.start} disabled={!form.days[i]!.on} onChange={(e) => setDay(i, { start: e.target.value })} />
            <span>–</span>
            <input type="time" aria-label={`${day} until`} value={form.days[i]!.end} disabled={!form.days[i]!.on} onChange={(e) => setDay(i, { end: e.target.value })} />
          </div>
        ))}
      </fieldset>
      <label>
        Holidays (one date per line, YYYY-MM-DD)
        <textarea rows={3} value={form.holidays} onChange={(e) => setForm({ ...form, holidays: e.target.value })} />
      </label>
    </FormDialog>
  );
}
