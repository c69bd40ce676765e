import { z } from 'zod';

/** The body of every 4xx/5xx answer. */
export const ErrorBody = z.object({
  error: z.string().describe('machine-readable code'),
  message: z.string().describe('human-readable explanation'),
  details: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const Id = z.string().min(1).max(64);
export const IdParams = z.object({ id: Id });

/** Epoch milliseconds. */
export const Timestamp = z.number().int();

export const Email = z.string().trim().toLowerCase().max(254).email();

/** Opaque pagination cursor: base64url text, never parsed by clients. */
export const Cursor = z.string().max(512).regex(/^[A-Za-z0-9_-]*$/, 'cursor is not valid');

export const Limit = z.coerce.number().int().min(1).max(500).default(50);
