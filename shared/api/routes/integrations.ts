import { z } from 'zod';
import { Heartbeat, HeartbeatName, HeartbeatPingQuery } from '../alerts';
import { AlertmanagerWebhook, GenericWebhook, GrafanaWebhook, IngestResult } from '../integrations';
import { defineRoutes } from '../route';

/** Webhook receivers take an API token with scope alerts:ingest (or a signed-in oncall user). */
const ingest = { role: 'oncall', scope: 'alerts:ingest' } as const;
const beat = { role: 'oncall', scope: 'heartbeat' } as const;
const ping = { access: beat, client: 'external', params: HeartbeatName, query: HeartbeatPingQuery, response: Heartbeat } as const;

export const INTEGRATIONS_ROUTES = defineRoutes('integrations', {
  'integrations.alertmanager': { method: 'POST', path: '/integrations/alertmanager', summary: 'Prometheus Alertmanager webhook_config receiver (payload version 4)', access: ingest, client: 'external', body: AlertmanagerWebhook, response: IngestResult },
  'integrations.grafana': { method: 'POST', path: '/integrations/grafana', summary: 'Grafana alerting webhook contact point', access: ingest, client: 'external', body: GrafanaWebhook, response: IngestResult },
  'integrations.generic': { method: 'POST', path: '/integrations/generic', summary: 'One alert or {alerts: [...]}', access: ingest, client: 'external', body: GenericWebhook, response: IngestResult },
  // The same ping answers GET and POST (cron jobs use whichever their tool makes easiest).
  'heartbeats.ping': { method: 'POST', path: '/integrations/heartbeat/:name', ...ping },
  'heartbeats.pingGet': { method: 'GET', path: '/integrations/heartbeat/:name', ...ping },
  'heartbeats.list': { method: 'GET', path: '/integrations/heartbeats', access: { role: 'oncall' }, response: z.array(Heartbeat) },
  'heartbeats.delete': { method: 'DELETE', path: '/integrations/heartbeats/:name', access: { role: 'admin' }, params: HeartbeatName, status: 204 },
});
