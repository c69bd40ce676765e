import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log';
import type { DialectName } from '../db/dialect';
import type { Database } from '../db/schema';
import type { Clock } from '../lib/clock';
import type { EventHub } from '../realtime/event-hub';
import { QueueAccess } from '../queues/queue-access';
import { QueueService } from '../queues/queue-service';
import { TicketSearchIndex } from '../search/fts';
import { SlaPolicies } from '../sla/sla-policies';
import { SlaWatcher } from '../sla/sla-watcher';
import type { ChangeFeed } from '../sync/change-feed';
import { ViewService } from '../views/view-service';
import { TicketQuery } from './ticket-query';
import { TicketService } from './ticket-service';

/** The helpdesk domain: queues, tickets, SLAs, views. Wired once per process in createContext. */
export interface Helpdesk {
  access: QueueAccess;
  queues: QueueService;
  search: TicketSearchIndex;
  sla: SlaPolicies;
  slaWatcher: SlaWatcher;
  tickets: TicketService;
  ticketQuery: TicketQuery;
  views: ViewService;
}

export interface HelpdeskDeps {
  db: Kysely<Database>;
  dialect: DialectName;
  clock: Clock;
  audit: AuditLog;
  changes: ChangeFeed;
  events: EventHub;
}

export function createHelpdesk(d: HelpdeskDeps): Helpdesk {
  const access = new QueueAccess(d.db);
  const search = new TicketSearchIndex(d.dialect);
  const sla = new SlaPolicies(d.db, d.audit, d.clock);
  return {
    access,
    search,
    sla,
    queues: new QueueService(d.db, access, d.changes, d.events, d.audit, d.clock),
    slaWatcher: new SlaWatcher(d.db, d.changes, d.events, d.clock),
    tickets: new TicketService(d.db, access, search, sla, d.changes, d.events, d.clock),
    ticketQuery: new TicketQuery(d.db, access, search, d.clock),
    views: new ViewService(d.db, d.changes, d.clock),
  };
}
