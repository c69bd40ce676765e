import { z } from 'zod';
import { Timestamp } from './common';

/** Every domain event the server pushes is emitted under its own `type` name with this envelope. */
export const LiveEvent = z.object({
  type: z.string().describe('e.g. ticket.updated, alert.changes, job.log'),
  /** The delta-sync sequence of the change this event announces; null for transient events. */
  seq: z.number().int().nullable(),
  actor: z.object({ id: z.string(), email: z.string().nullable() }).nullable(),
  data: z.unknown(),
  at: Timestamp,
});
export type LiveEvent = z.infer<typeof LiveEvent>;

/**
 * "Alerts changed, up to feed sequence `seq`": one small event for every alert write (raise,
 * repeat, acknowledge, resolve, escalation step, silence flip) committed since the last one, sent
 * at most every ALERT_CHANGES_MIN_INTERVAL_MS to the on-call audience. It carries no alert: a
 * desktop catches up through the change feed from its cursor, which brings every changed alert in
 * feed order. Popups never come from it (they come from `alert.notify`, addressed to one user).
 */
export const ALERT_CHANGES_EVENT = 'alert.changes';
export const ALERT_CHANGES_MIN_INTERVAL_MS = 50;
export const AlertChangesEvent = LiveEvent.extend({
  type: z.literal(ALERT_CHANGES_EVENT),
  seq: z.number().int().positive(),
  actor: z.null(),
  data: z.object({
    /** How many alert changes this event covers (feed records since the previous event). */
    count: z.number().int().positive(),
  }),
});
export type AlertChangesEvent = z.infer<typeof AlertChangesEvent>;

/** The live events whose payload is declared here: name → schema. The server builds them with these types; the desktop parses them with these schemas. */
export const LIVE_EVENTS = {
  [ALERT_CHANGES_EVENT]: AlertChangesEvent,
} as const;
export type DeclaredLiveEvent = keyof typeof LIVE_EVENTS;
export type LiveEventOf<N extends DeclaredLiveEvent> = z.infer<(typeof LIVE_EVENTS)[N]>;
