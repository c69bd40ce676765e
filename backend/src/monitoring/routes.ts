import { alertRoutes } from '../alerts/alert-routes';
import { escalationRoutes } from '../escalation/escalation-routes';
import { incidentRoutes } from '../incidents/incident-routes';
import { integrationRoutes } from '../integrations/integration-routes';
import { channelRoutes } from '../notifications/channel-routes';
import { reportRoutes } from '../reports/report-routes';
import { ruleRoutes } from '../rules/rule-routes';
import { probeRoutes } from '../probes/probe-routes';
import { scrapeRoutes } from '../scrape/scrape-routes';
import { silenceRoutes } from '../silences/silence-routes';
import { metricsRoutes } from './metrics-routes';

/** Route plugins of the monitoring, alerting and incident domain (mounted under /api/v1). */
export const MONITORING_ROUTES = [alertRoutes, silenceRoutes, ruleRoutes, channelRoutes, escalationRoutes, integrationRoutes, incidentRoutes, reportRoutes, metricsRoutes, probeRoutes, scrapeRoutes];
