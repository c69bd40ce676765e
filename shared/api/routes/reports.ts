import { z } from 'zod';
import { IdParams } from '../common';
import { OpsReport, Report, ReportExport, ReportExportQuery, ReportQuery, ReportRangeQuery, ReportSchedule, ReportScheduleInput, ReportSchedulePatch, ReportType } from '../reports';
import { defineRoutes } from '../route';

export const ReportParams = z.object({ type: ReportType });
const admin = { role: 'admin' } as const;

export const REPORTS_ROUTES = defineRoutes('reports', {
  // ?format=csv|html answers text instead of the JSON Report.
  'reports.get': { method: 'GET', path: '/reports/:type', summary: 'daily or weekly; ?format=json|csv|html', access: { role: 'oncall' }, params: ReportParams, query: ReportQuery, response: Report },
  'reports.range': { method: 'GET', path: '/reports/range', summary: 'MTTA/MTTR by severity, policy and schedule, volume, on-call load and SLA per queue for a day, week or custom range in a time zone', access: { role: 'oncall' }, query: ReportRangeQuery, response: OpsReport },
  'reports.export': { method: 'GET', path: '/reports/range/export', summary: 'The range report as CSV or HTML text (formula cells and markup escaped)', access: { role: 'oncall' }, query: ReportExportQuery, response: ReportExport },
  'reports.schedules.list': { method: 'GET', path: '/report-schedules', access: admin, response: z.array(ReportSchedule) },
  'reports.schedules.create': { method: 'POST', path: '/report-schedules', access: admin, body: ReportScheduleInput, status: 201, response: ReportSchedule },
  'reports.schedules.update': { method: 'PATCH', path: '/report-schedules/:id', access: admin, params: IdParams, body: ReportSchedulePatch, response: ReportSchedule },
  'reports.schedules.delete': { method: 'DELETE', path: '/report-schedules/:id', access: admin, params: IdParams, response: z.object({ deleted: z.literal(true) }) },
});
