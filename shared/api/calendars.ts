import { z } from 'zod';
import { minutesOf, type BusinessCalendarRules } from '../domain/business-hours';
import { Id, Timestamp } from './common';
import { TimeZone } from './oncall';

/* Business-hours calendars for SLA clocks (admin-managed; a queue's SLA follows at most one). */

const Clock = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'time must be HH:MM (24-hour; 24:00 ends the day)');
const LocalDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'holidays are dates, YYYY-MM-DD');

/** One window of a weekday (1 = Monday … 7 = Sunday), local time in the calendar's zone. */
export const BusinessHours = z
  .object({ day: z.number().int().min(1).max(7), start: Clock, end: Clock })
  .refine((w) => w.start < w.end, { message: 'a window ends after it starts', path: ['end'] });
export type BusinessHours = z.infer<typeof BusinessHours>;

export const CalendarInput = z.object({
  name: z.string().trim().min(1).max(80),
  timeZone: TimeZone,
  hours: z.array(BusinessHours).min(1, 'a calendar needs at least one weekday window').max(50),
  holidays: z.array(LocalDate).max(400).default([]),
});
export type CalendarInput = z.infer<typeof CalendarInput>;

export const BusinessCalendar = CalendarInput.extend({
  id: Id,
  /** The queues whose SLA clocks follow this calendar. */
  queueIds: z.array(Id),
  updatedAt: Timestamp,
});
export type BusinessCalendar = z.infer<typeof BusinessCalendar>;

/** What a queue record carries of its calendar: enough for a client to count business time. */
export const QueueCalendar = CalendarInput.extend({ id: Id });
export type QueueCalendar = z.infer<typeof QueueCalendar>;

export const SetQueueCalendarRequest = z.object({ calendarId: Id.nullable() });

/** A calendar as the pure business-hours arithmetic reads it (minutes from local midnight). */
export function calendarRules(c: Pick<CalendarInput, 'timeZone' | 'hours' | 'holidays'>): BusinessCalendarRules {
  return { timeZone: c.timeZone, windows: c.hours.map((h) => ({ day: h.day, start: minutesOf(h.start), end: minutesOf(h.end) })), holidays: c.holidays };
}
