import { z } from 'zod';
import { Timestamp } from './common';

/* ---------------------------------------------------------------- contact methods */

export const CONTACT_KINDS = ['email', 'phone'] as const;
export const ContactKind = z.enum(CONTACT_KINDS);
export type ContactKind = z.infer<typeof ContactKind>;
/** Where a person may be paged: verified by a code sent through the channel; an unverified method is never paged. */
export const ContactMethod = z.object({
  id: z.string(),
  userId: z.string(),
  kind: ContactKind,
  address: z.string(),
  verified: z.boolean(),
  verifiedAt: Timestamp.nullable(),
  /** When the last code went out (a new one may be asked for after a short wait). */
  codeSentAt: Timestamp.nullable(),
  /** The sign-in address: listed, verified by the account itself, not removable here. */
  account: z.boolean(),
  createdAt: Timestamp,
});
export type ContactMethod = z.infer<typeof ContactMethod>;
export const AddContactMethodRequest = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('email'), address: z.string().trim().toLowerCase().max(320).regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'not an email address') }),
  z.object({ kind: z.literal('phone'), address: z.string().trim().regex(/^\+[0-9 ()-]{6,24}$/, 'a phone number in international form, e.g. +44 20 7946 0958').transform((v) => v.replace(/[\s()-]/g, '')) }),
]);
export type AddContactMethodRequest = z.infer<typeof AddContactMethodRequest>;
export const VerifyContactRequest = z.object({ code: z.string().trim().regex(/^[0-9]{6}$/, 'the 6-digit code from the message') });
export const SmtpStatus = z.object({
  configured: z.boolean(),
  /** host:port of SMTP_URL, never its credentials. */
  server: z.string().nullable(),
  from: z.string().nullable(),
  ok: z.boolean(),
  error: z.string().nullable(),
});
export type SmtpStatus = z.infer<typeof SmtpStatus>;
