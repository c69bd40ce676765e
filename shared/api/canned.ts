import { z } from 'zod';
import { Id, Timestamp } from './common';

/** The placeholders a canned reply may use; filled from the ticket and the agent when inserted. */
export const CANNED_PLACEHOLDERS = ['requester.name', 'requester.email', 'ticket.number', 'ticket.subject', 'agent.name'] as const;
export type CannedPlaceholder = (typeof CANNED_PLACEHOLDERS)[number];

/** `{{ requester.name }}` → its value; unknown or missing placeholders stay as written. */
export function fillPlaceholders(text: string, values: Partial<Record<CannedPlaceholder, string>>): string {
  return text.replace(/\{\{\s*([a-z]+\.[a-z]+)\s*\}\}/g, (all, key: string) => values[key as CannedPlaceholder] ?? all);
}

const PLACEHOLDER_IN_TEXT = /\{\{\s*([a-z]+\.[a-z]+)\s*\}\}/g;

/** A snippet: shared (admin-managed, everyone sees it) or personal (only its owner). */
export const CannedReply = z.object({
  id: Id,
  name: z.string(),
  body: z.string(),
  shared: z.boolean(),
  ownerId: Id.nullable(),
  updatedAt: Timestamp,
});
export type CannedReply = z.infer<typeof CannedReply>;

const Body = z
  .string()
  .trim()
  .min(1)
  .max(10_000)
  .refine((b) => [...b.matchAll(PLACEHOLDER_IN_TEXT)].every((m) => (CANNED_PLACEHOLDERS as readonly string[]).includes(m[1]!)), {
    message: `unknown placeholder; use ${CANNED_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`,
  });

export const CreateCannedReplyRequest = z.object({ name: z.string().trim().min(1).max(120), body: Body, shared: z.boolean().default(false) });
export const UpdateCannedReplyRequest = z.object({ name: z.string().trim().min(1).max(120).optional(), body: Body.optional() });
export const CannedQuery = z.object({ q: z.string().trim().max(120).default('') });
