import { z } from 'zod';
import { EscalationLevels } from './alerts';
import { Id, Timestamp } from './common';

/* Escalation policies: which policy an alert follows (by its labels), its levels, repeats and ack timeout. */

export const DEFAULT_POLICY_ID = 'default';

export const PolicyInput = z.object({
  name: z.string().trim().min(1).max(100),
  /** Labels an alert must carry, all of them (`service: db`); the default policy matches everything. */
  match: z.record(z.string().min(1).max(100), z.string().max(200)).default({}),
  /** How many times the whole policy runs again after its last level. */
  repeat: z.number().int().min(0).max(9).default(0),
  /** An acknowledged alert not resolved within this many minutes fires again and re-pages; null: never. */
  ackTimeoutMinutes: z.number().int().min(1).max(10_080).nullable().default(null),
  levels: EscalationLevels,
});
export type PolicyInput = z.infer<typeof PolicyInput>;

export const Policy = PolicyInput.extend({
  id: Id,
  /** Order in which policies are tried (lower first); the default policy is always last. */
  position: z.number().int(),
  isDefault: z.boolean(),
  updatedAt: Timestamp.nullable(),
});
export type Policy = z.infer<typeof Policy>;

export const PagedUser = z.object({
  id: Id,
  name: z.string(),
  email: z.string(),
  /** Why: `schedule:<name>`, `user`, `role:<role>`, `owner`. */
  via: z.array(z.string()),
});
export type PagedUser = z.infer<typeof PagedUser>;

export const PolicyPreview = z.object({
  policyId: Id,
  at: Timestamp,
  levels: z.array(z.object({ index: z.number().int(), name: z.string(), afterMinutes: z.number().int(), users: z.array(PagedUser) })),
});
export type PolicyPreview = z.infer<typeof PolicyPreview>;
