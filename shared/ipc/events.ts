import { z } from 'zod';
import { Alert, Connectivity, DeepLink, Id, Job, JobLogLine, Notice, OutboxCounts, Profile, SessionState, ShownNotification, SyncProgress, UpdateStatus } from './models';

/** Events the core pushes to the renderer: event name → payload schema. */
export const events = {
  'session.changed': SessionState,
  'profiles.changed': z.object({ profiles: z.array(Profile), activeId: Id.nullable() }),
  'connectivity.changed': Connectivity,
  'sync.progress': SyncProgress,
  /** Cached tickets changed (sync, live event or local edit); re-read what is on screen. */
  'tickets.changed': z.object({ ids: z.array(Id), full: z.boolean().default(false) }),
  'queues.changed': z.object({}),
  'alerts.changed': z.object({ alert: Alert }),
  'alerts.unackedCount': z.number().int(),
  'incidents.changed': z.object({ id: Id }),
  'jobs.changed': z.object({ job: Job }),
  'jobs.log': z.object({ subscriptionId: z.string(), jobId: Id, lines: z.array(JobLogLine), done: z.boolean() }),
  'maintenance.changed': z.object({ id: Id }),
  /** A procedure run moved (a step ticked, checked, noted; the run finished): re-read it. */
  'procedures.changed': z.object({ id: Id }),
  'outbox.changed': OutboxCounts,
  /** A popup was shown; the browser host turns this into a Web Notification. */
  'notification.shown': ShownNotification,
  /** Open a screen: from a deep link (opsdesk://ticket/42) or a notification click. */
  navigate: DeepLink,
  'updates.status': UpdateStatus,
  notice: Notice,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];
