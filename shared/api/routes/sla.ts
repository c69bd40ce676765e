import { z } from 'zod';
import { BusinessCalendar, CalendarInput, SetQueueCalendarRequest } from '../calendars';
import { IdParams } from '../common';
import { Queue } from '../queues';
import { PriorityParams, SlaPolicy, UpdateSlaPolicyRequest } from '../tickets';
import { defineRoutes } from '../route';

/** SLA targets per priority and business-hours calendars per queue: everyone reads them, admins change them. */
export const SLA_ROUTES = defineRoutes('sla', {
  'sla.policies.list': { method: 'GET', path: '/sla/policies', access: { role: 'agent' }, response: z.array(SlaPolicy) },
  'sla.policies.update': { method: 'PUT', path: '/sla/policies/:priority', access: { role: 'admin' }, params: PriorityParams, body: UpdateSlaPolicyRequest, response: SlaPolicy },
  'sla.calendars.list': { method: 'GET', path: '/sla/calendars', summary: 'Business-hours calendars and the queues that follow each', access: { role: 'agent' }, response: z.array(BusinessCalendar) },
  'sla.calendars.create': { method: 'POST', path: '/sla/calendars', access: { role: 'admin' }, body: CalendarInput, status: 201, response: BusinessCalendar },
  'sla.calendars.update': { method: 'PUT', path: '/sla/calendars/:id', summary: 'Replace a calendar; tickets created or re-timed from now on use it', access: { role: 'admin' }, params: IdParams, body: CalendarInput, response: BusinessCalendar },
  'sla.calendars.delete': { method: 'DELETE', path: '/sla/calendars/:id', summary: 'Delete a calendar no queue follows', access: { role: 'admin' }, params: IdParams, status: 204 },
  'sla.queues.setCalendar': { method: 'PUT', path: '/sla/queues/:id/calendar', summary: "Attach a calendar to a queue's SLA (null: around the clock)", access: { role: 'admin' }, params: IdParams, body: SetQueueCalendarRequest, response: Queue },
});
