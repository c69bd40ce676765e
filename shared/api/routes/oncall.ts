import { z } from 'zod';
import { IdParams } from '../common';
import { CreatedFeed, Feed, FeedInput, FeedToken, ImportRequest, ImportResult, OnCallNow, Override, OverrideInput, Rotation, RotationInput, Schedule, ScheduleInput, SchedulePatch, ScheduleShifts, ScheduleSummary, ShiftsQuery } from '../oncall';
import { defineRoutes } from '../route';

const anyone = { role: 'any' } as const;
const admin = { role: 'admin' } as const;
const oncall = { role: 'oncall' } as const;

/** On-call schedules: everyone sees who is on call; admins define schedules; on-call people add overrides. */
export const ONCALL_ROUTES = defineRoutes('oncall', {
  'oncall.now': { method: 'GET', path: '/oncall/now', summary: 'Who is on call now and next, per schedule', access: anyone, response: z.array(OnCallNow) },
  'oncall.schedules.list': { method: 'GET', path: '/oncall/schedules', access: anyone, response: z.array(ScheduleSummary) },
  'oncall.schedules.create': { method: 'POST', path: '/oncall/schedules', access: admin, body: ScheduleInput, status: 201, response: Schedule },
  'oncall.schedules.get': { method: 'GET', path: '/oncall/schedules/:id', access: anyone, params: IdParams, response: Schedule },
  'oncall.schedules.update': { method: 'PATCH', path: '/oncall/schedules/:id', access: admin, params: IdParams, body: SchedulePatch, response: Schedule },
  'oncall.schedules.delete': { method: 'DELETE', path: '/oncall/schedules/:id', access: admin, params: IdParams, status: 204 },
  'oncall.schedules.now': { method: 'GET', path: '/oncall/schedules/:id/now', summary: 'Who is on call on this schedule now, and next', access: anyone, params: IdParams, response: OnCallNow },
  'oncall.schedules.shifts': { method: 'GET', path: '/oncall/schedules/:id/shifts', summary: 'Each layer and the final layer over a range (at most 120 days)', access: anyone, params: IdParams, query: ShiftsQuery, response: ScheduleShifts },
  'oncall.schedules.import': { method: 'POST', path: '/oncall/schedules/:id/import', summary: 'Imports the shifts of an iCalendar export (Grafana OnCall, PagerDuty)', access: admin, params: IdParams, body: ImportRequest, response: ImportResult },
  'oncall.rotations.create': { method: 'POST', path: '/oncall/schedules/:id/rotations', access: admin, params: IdParams, body: RotationInput, status: 201, response: Rotation },
  'oncall.rotations.update': { method: 'PUT', path: '/oncall/rotations/:id', access: admin, params: IdParams, body: RotationInput, response: Rotation },
  'oncall.rotations.delete': { method: 'DELETE', path: '/oncall/rotations/:id', access: admin, params: IdParams, status: 204 },
  'oncall.overrides.create': { method: 'POST', path: '/oncall/schedules/:id/overrides', summary: '"C covers B from 18:00 to 22:00"', access: oncall, params: IdParams, body: OverrideInput, status: 201, response: Override },
  'oncall.overrides.update': { method: 'PUT', path: '/oncall/overrides/:id', access: oncall, params: IdParams, body: OverrideInput, response: Override },
  'oncall.overrides.delete': { method: 'DELETE', path: '/oncall/overrides/:id', access: oncall, params: IdParams, status: 204 },
  'oncall.feeds.list': { method: 'GET', path: '/oncall/feeds', summary: "The caller's calendar feeds (an admin: every feed)", access: anyone, response: z.array(Feed) },
  'oncall.feeds.create': { method: 'POST', path: '/oncall/feeds', summary: 'A secret iCal address for a schedule or a user; the address is shown once', access: anyone, body: FeedInput, status: 201, response: CreatedFeed },
  'oncall.feeds.revoke': { method: 'DELETE', path: '/oncall/feeds/:id', access: anyone, params: IdParams, status: 204 },
  'oncall.feeds.ics': { method: 'GET', path: '/oncall/feeds/:token', summary: 'The iCalendar feed (RFC 5545); the token is the credential', access: 'public', client: 'external', params: FeedToken, produces: 'text' },
});
