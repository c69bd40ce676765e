import { z } from 'zod';
import { Email, Timestamp } from './common';

export const MAILBOX_STATUSES = ['stopped', 'connecting', 'idle', 'polling', 'error'] as const;
export const MailboxStatus = z.enum(MAILBOX_STATUSES);

const Host = z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:.]+\]$/, 'a host name or address');
const Port = z.number().int().min(1).max(65535);
const Folder = z.string().trim().min(1).max(200);
export const MAX_MESSAGE_BYTES = 50 * 1024 * 1024;

/** A queue's mailbox as the API shows it: never the password, only whether one is set. */
export const Mailbox = z.object({
  queueId: z.string(),
  address: z.string(),
  displayName: z.string(),
  imap: z.object({ host: z.string(), port: z.number().int(), tls: z.boolean(), user: z.string(), folder: z.string(), processedFolder: z.string().nullable(), passwordSet: z.boolean() }),
  smtp: z.object({ host: z.string().nullable(), port: z.number().int().nullable(), tls: z.boolean(), auth: z.boolean() }),
  enabled: z.boolean(),
  acknowledgement: z.object({ enabled: z.boolean(), template: z.string() }),
  maxMessageBytes: z.number().int(),
  status: MailboxStatus,
  /** idle (IMAP IDLE) or poll, once connected. */
  mode: z.enum(['idle', 'poll']).nullable(),
  lastError: z.string().nullable(),
  lastCheckedAt: Timestamp.nullable(),
});
export type Mailbox = z.infer<typeof Mailbox>;

export const ACK_PLACEHOLDERS = ['{{requester.name}}', '{{ticket.number}}', '{{ticket.subject}}', '{{queue.name}}'] as const;

/** Creates or replaces a queue's mailbox. `password` omitted keeps the stored one. */
export const PutMailboxRequest = z.object({
  address: Email,
  displayName: z.string().trim().max(120).default(''),
  imap: z.object({
    host: Host,
    port: Port.default(993),
    tls: z.boolean().default(true),
    user: z.string().trim().min(1).max(254),
    password: z.string().min(1).max(1024).optional(),
    folder: Folder.default('INBOX'),
    processedFolder: Folder.nullable().default(null),
  }),
  smtp: z
    .object({ host: Host.nullable().default(null), port: Port.nullable().default(null), tls: z.boolean().default(false), auth: z.boolean().default(false) })
    .default({ host: null, port: null, tls: false, auth: false }),
  enabled: z.boolean().default(true),
  acknowledgement: z.object({ enabled: z.boolean().default(false), template: z.string().max(5000).default('') }).default({ enabled: false, template: '' }),
  maxMessageBytes: z.number().int().min(1024).max(MAX_MESSAGE_BYTES).default(10 * 1024 * 1024),
});
export type PutMailboxRequest = z.infer<typeof PutMailboxRequest>;

/** What "test connection" found: each step with its answer. */
export const MailboxTestResult = z.object({
  ok: z.boolean(),
  steps: z.array(z.object({ step: z.enum(['connect', 'login', 'folder', 'smtp']), ok: z.boolean(), message: z.string() })),
});
export type MailboxTestResult = z.infer<typeof MailboxTestResult>;

/** Test a configuration before saving it (password omitted: the stored one). */
export const TestMailboxRequest = PutMailboxRequest;
