import { z } from 'zod';
import { AddNoteRequest, Alert, AlertDetail, AlertNote, AlertPage, AlertQuery, BulkAlertRequest, BulkAlertResult, CreateAlertRequest, Delivery, ResolveRequest } from '../alerts';
import { IdParams } from '../common';
import { defineRoutes } from '../route';

const oncall = { role: 'oncall' } as const;

export const ALERTS_ROUTES = defineRoutes('alerts', {
  'alerts.list': { method: 'GET', path: '/alerts', access: oncall, query: AlertQuery, response: AlertPage },
  'alerts.create': { method: 'POST', path: '/alerts', access: oncall, body: CreateAlertRequest, status: 201, response: Alert },
  'alerts.get': { method: 'GET', path: '/alerts/:id', access: oncall, params: IdParams, response: AlertDetail },
  'alerts.ack': { method: 'POST', path: '/alerts/:id/ack', access: oncall, params: IdParams, response: Alert },
  'alerts.own': { method: 'POST', path: '/alerts/:id/own', summary: '"I\'m on it": the caller owns the alert; escalation then pages only them', access: oncall, params: IdParams, response: Alert },
  'alerts.bulk': { method: 'POST', path: '/alerts/bulk', summary: 'Acknowledges or resolves many alerts; answers which were done and why others were not', access: oncall, body: BulkAlertRequest, response: BulkAlertResult },
  'alerts.resolve': { method: 'POST', path: '/alerts/:id/resolve', access: oncall, params: IdParams, body: ResolveRequest.optional(), response: Alert },
  'alerts.notes.create': { method: 'POST', path: '/alerts/:id/notes', access: oncall, params: IdParams, body: AddNoteRequest, status: 201, response: AlertNote },
  'alerts.deliveries.list': { method: 'GET', path: '/alerts/:id/deliveries', access: oncall, params: IdParams, response: z.array(Delivery) },
});
