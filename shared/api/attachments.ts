import { z } from 'zod';
import { Id } from './common';

/** Per file and per request; the server's ATTACHMENT_MAX_BYTES may lower the per-file limit. */
export const ATTACHMENT_LIMITS = { files: 10, bytes: 10 * 1024 * 1024, totalBytes: 25 * 1024 * 1024, filename: 200 } as const;

/** What a ticket or comment lists about a file (the bytes come from `attachments.download`). */
export const AttachmentMeta = z.object({
  id: Id,
  filename: z.string(),
  /** Sniffed from the content by the server, not the uploader's claim. */
  contentType: z.string(),
  size: z.number().int(),
});
export type AttachmentMeta = z.infer<typeof AttachmentMeta>;

/** A file sent with a new ticket or a comment: base64 content, at most ATTACHMENT_LIMITS.bytes decoded. */
export const AttachmentUpload = z.object({
  filename: z
    .string()
    .trim()
    .min(1)
    .max(ATTACHMENT_LIMITS.filename)
    .refine((n) => !/[\\/]/.test(n) && ![...n].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f), 'a file name has no slashes or control characters'),
  data: z
    .string()
    .max(Math.ceil((ATTACHMENT_LIMITS.bytes * 4) / 3) + 4, `a file is at most ${ATTACHMENT_LIMITS.bytes / 1024 / 1024} MB`)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'data is the file in base64'),
});
export type AttachmentUpload = z.infer<typeof AttachmentUpload>;

export const AttachmentUploads = z.array(AttachmentUpload).max(ATTACHMENT_LIMITS.files).default([]);

/** The JSON body limit of the routes that take attachments (all files in base64 plus the text). */
export const ATTACHMENT_BODY_LIMIT = Math.ceil((ATTACHMENT_LIMITS.totalBytes * 4) / 3) + 1024 * 1024;
