import { AuditPage, AuditQuery } from '../audit';
import { defineRoutes } from '../route';

export const AUDIT_ROUTES = defineRoutes('audit', {
  'audit.list': { method: 'GET', path: '/audit', summary: 'The audit log, newest first, with cursor paging', access: { role: 'admin' }, query: AuditQuery, response: AuditPage },
});
