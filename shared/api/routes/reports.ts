import { z } from 'zod';
import { Report, ReportQuery, ReportType } from '../reports';
import { defineRoutes } from '../route';

export const ReportParams = z.object({ type: ReportType });

export const REPORTS_ROUTES = defineRoutes('reports', {
  // ?format=csv|html answers text instead of the JSON Report.
  'reports.get': { method: 'GET', path: '/reports/:type', summary: 'daily or weekly; ?format=json|csv|html', access: { role: 'oncall' }, params: ReportParams, query: ReportQuery, response: Report },
});
