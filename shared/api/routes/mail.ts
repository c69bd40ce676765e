import { z } from 'zod';
import { IdParams } from '../common';
import { Mailbox, MailboxTestResult, PutMailboxRequest, TestMailboxRequest } from '../mail';
import { defineRoutes } from '../route';

const admin = { role: 'admin' } as const;

/** A queue's mailbox (IMAP in, SMTP out): admins configure and test it; the password never comes back. */
export const MAIL_ROUTES = defineRoutes('mail', {
  'mailboxes.list': { method: 'GET', path: '/mailboxes', summary: "Every queue's mailbox, without passwords", access: admin, response: z.array(Mailbox) },
  'mailboxes.get': { method: 'GET', path: '/queues/:id/mailbox', summary: "A queue's mailbox, without its password", access: admin, params: IdParams, response: Mailbox },
  'mailboxes.put': { method: 'PUT', path: '/queues/:id/mailbox', summary: "Configure a queue's mailbox (password omitted: keep the stored one)", access: admin, params: IdParams, body: PutMailboxRequest, response: Mailbox },
  'mailboxes.remove': { method: 'DELETE', path: '/queues/:id/mailbox', summary: "Stop fetching a queue's mail and forget the mailbox", access: admin, params: IdParams, status: 204 },
  'mailboxes.test': { method: 'POST', path: '/queues/:id/mailbox/test', summary: 'Connect, log in and open the folder (and reach SMTP) with these settings', access: admin, params: IdParams, body: TestMailboxRequest, response: MailboxTestResult },
});
