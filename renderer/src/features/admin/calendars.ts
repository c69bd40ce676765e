import { create } from 'zustand';
import type { BusinessCalendar, CalendarInput } from '../../../../shared/api/calendars';
import type { Queue } from '../../../../shared/ipc';
import { call } from '../../api';
import { loadInto, notLoaded, type Loadable } from '../../ui/loadable';

/** Business-hours calendars and the queues whose SLA follows each (admin screen). */
export interface CalendarSlice {
  calendars: Loadable<BusinessCalendar[]>;
  queues: Loadable<Queue[]>;
}

export const useCalendars = create<CalendarSlice>(() => ({ calendars: notLoaded(), queues: notLoaded() }));

export async function loadCalendars(opts = { fresh: true }): Promise<void> {
  await Promise.all([loadInto(useCalendars, 'calendars', () => call('api.sla.calendars.list'), opts), loadInto(useCalendars, 'queues', () => call('queues.list'), opts)]);
}

export async function saveCalendar(id: string | null, input: CalendarInput): Promise<void> {
  if (id) await call('api.sla.calendars.update', { params: { id }, body: input });
  else await call('api.sla.calendars.create', { body: input });
  await loadCalendars({ fresh: false });
}

export async function deleteCalendar(id: string): Promise<void> {
  await call('api.sla.calendars.delete', { params: { id } });
  await loadCalendars({ fresh: false });
}

export async function setQueueCalendar(queueId: string, calendarId: string | null): Promise<void> {
  await call('api.sla.queues.setCalendar', { params: { id: queueId }, body: { calendarId } });
  await loadCalendars({ fresh: false });
}

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** The form's weekday rows (one window per day) → the API's hours; holidays one date per line. */
export function calendarInput(form: { name: string; timeZone: string; days: { on: boolean; start: string; end: string }[]; holidays: string }): CalendarInput {
  return {
    name: form.name.trim(),
    timeZone: form.timeZone.trim(),
    hours: form.days.flatMap((d, i) => (d.on ? [{ day: i + 1, start: d.start, end: d.end }] : [])),
    holidays: form.holidays
      .split(/[\s,]+/)
      .map((x) => x.trim())
      .filter(Boolean),
  };
}
