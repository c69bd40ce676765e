import { z } from 'zod';
import { Timestamp } from './common';

/** Every domain event the server pushes is emitted under its own `type` name with this envelope. */
export const LiveEvent = z.object({
  type: z.string().describe('e.g. ticket.updated, alert.fired, job.log'),
  /** The delta-sync sequence of the change this event announces; null for transient events. */
  seq: z.number().int().nullable(),
  actor: z.object({ id: z.string(), email: z.string().nullable() }).nullable(),
  data: z.unknown(),
  at: Timestamp,
});
export type LiveEvent = z.infer<typeof LiveEvent>;
