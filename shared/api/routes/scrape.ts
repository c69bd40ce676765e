import { z } from 'zod';
import { IdParams } from '../common';
import { CreateScrapeTargetRequest, OverviewEntry, ScrapeTarget, UpdateScrapeTargetRequest } from '../scrape';
import { defineRoutes } from '../route';

const oncall = { role: 'oncall' } as const;
const admin = { role: 'admin' } as const;

export const SCRAPE_ROUTES = defineRoutes('scrape', {
  'scrape.targets.list': { method: 'GET', path: '/scrape-targets', summary: 'Prometheus exposition targets, declared in the app or by services in SERVICES_FILE', access: oncall, response: z.array(ScrapeTarget) },
  'scrape.targets.get': { method: 'GET', path: '/scrape-targets/:id', access: oncall, params: IdParams, response: ScrapeTarget },
  'scrape.targets.create': { method: 'POST', path: '/scrape-targets', access: admin, body: CreateScrapeTargetRequest, status: 201, response: ScrapeTarget },
  'scrape.targets.update': { method: 'PATCH', path: '/scrape-targets/:id', summary: 'Changes a target declared in the app (a SERVICES_FILE target can only be paused)', access: admin, params: IdParams, body: UpdateScrapeTargetRequest, response: ScrapeTarget },
  'scrape.targets.delete': { method: 'DELETE', path: '/scrape-targets/:id', summary: 'Deletes a target declared in the app; its series go stale at once', access: admin, params: IdParams, status: 204 },
  'monitoring.overview': { method: 'GET', path: '/monitoring/overview', summary: 'Every scrape target, probe and health check with its state (up, down, warning) and last error', access: oncall, response: z.array(OverviewEntry) },
  'scrape.targets.scrape': { method: 'POST', path: '/scrape-targets/:id/scrape', summary: 'Scrapes the target now and answers its new state', access: oncall, params: IdParams, response: ScrapeTarget },
});
