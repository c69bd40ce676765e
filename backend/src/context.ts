import type { Services } from './app/services';

/**
 * TRANSITIONAL: the old service-locator view, for the route plugins not yet converted to
 * `Pick<Services, ...>` (they read `ctx.helpdesk.x` / `ctx.monitoring.x`). It is built from the
 * wired Services by `contextOf` and owns nothing; it goes away with the last unconverted plugin.
 */
export interface AppContext extends Services {
  helpdesk: Pick<Services, 'queues' | 'sla' | 'slaWatcher' | 'tickets' | 'ticketQuery' | 'views'> & { access: Services['queueAccess']; search: Services['ticketSearch'] };
  monitoring: Pick<Services, 'collectors' | 'silences' | 'alerts' | 'rules' | 'evaluator' | 'notifier' | 'escalator' | 'heartbeats' | 'incidents' | 'reports'> & { store: Services['metricStore'] };
}

export function contextOf(s: Services): AppContext {
  return {
    ...s,
    helpdesk: { access: s.queueAccess, search: s.ticketSearch, queues: s.queues, sla: s.sla, slaWatcher: s.slaWatcher, tickets: s.tickets, ticketQuery: s.ticketQuery, views: s.views },
    monitoring: {
      store: s.metricStore,
      collectors: s.collectors,
      silences: s.silences,
      alerts: s.alerts,
      rules: s.rules,
      evaluator: s.evaluator,
      notifier: s.notifier,
      escalator: s.escalator,
      heartbeats: s.heartbeats,
      incidents: s.incidents,
      reports: s.reports,
    },
  };
}
