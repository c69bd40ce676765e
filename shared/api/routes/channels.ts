import { z } from 'zod';
import { AddContactMethodRequest, Channel, ContactMethod, Delivery, NotificationPreference, QuietHours, SmtpStatus, UpdateChannelRequest, UpdatePreferencesRequest, VerifyContactRequest } from '../alerts';
import { IdParams } from '../common';
import { defineRoutes } from '../route';

/** What a test notification did on each channel. */
export const ChannelTestResult = z.array(z.object({ channel: z.string(), target: z.string(), ok: z.boolean(), status: z.number().int().nullable().describe("the receiver's HTTP status (webhooks)"), error: z.string().nullable().describe('a short reason, never the receiver body') }));
export type ChannelTestResult = z.infer<typeof ChannelTestResult>;

export const DeliveryListQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

const oncall = { role: 'oncall' } as const;
const admin = { role: 'admin' } as const;
const signedIn = { role: 'any' } as const;

export const CHANNELS_ROUTES = defineRoutes('channels', {
  'channels.list': { method: 'GET', path: '/channels', access: oncall, response: z.array(Channel) },
  'channels.update': { method: 'PATCH', path: '/channels/:id', access: admin, params: IdParams, body: UpdateChannelRequest, response: Channel },
  'channels.test': { method: 'POST', path: '/channels/test', summary: 'Sends a test notification to the caller on every enabled channel', access: admin, response: ChannelTestResult },
  'channels.testOne': { method: 'POST', path: '/channels/:id/test', summary: "Sends a test message through this channel to its real target (the caller's verified addresses; the webhook for Slack)", access: admin, params: IdParams, response: ChannelTestResult },
  'channels.smtp': { method: 'GET', path: '/channels/smtp', summary: 'Whether SMTP_URL is set and the server answers (host and port only, never credentials)', access: admin, response: SmtpStatus },
  'channels.preferences.get': { method: 'GET', path: '/channels/preferences', access: signedIn, response: z.array(NotificationPreference) },
  'channels.preferences.update': { method: 'PUT', path: '/channels/preferences', access: signedIn, body: UpdatePreferencesRequest, response: z.array(NotificationPreference) },
  'channels.quiet.get': { method: 'GET', path: '/channels/quiet-hours', summary: "The caller's quiet hours (do not disturb)", access: signedIn, response: QuietHours },
  'channels.quiet.update': { method: 'PUT', path: '/channels/quiet-hours', summary: 'Sets the caller\'s quiet hours: notifications inside them are held and summarised when they end', access: signedIn, body: QuietHours, response: QuietHours },
  'channels.deliveries.list': { method: 'GET', path: '/channels/deliveries', access: oncall, query: DeliveryListQuery, response: z.array(Delivery) },
  'contacts.list': { method: 'GET', path: '/me/contact-methods', summary: "The caller's contact methods (the sign-in address first)", access: signedIn, response: z.array(ContactMethod) },
  'contacts.create': { method: 'POST', path: '/me/contact-methods', summary: 'Adds an email address or phone number and sends it a verification code; unverified, it is never paged', access: signedIn, body: AddContactMethodRequest, status: 201, response: ContactMethod },
  'contacts.verify': { method: 'POST', path: '/me/contact-methods/:id/verify', summary: 'Verifies a contact method with the code it received (5 tries, 15 minutes)', access: signedIn, params: IdParams, body: VerifyContactRequest, response: ContactMethod },
  'contacts.resend': { method: 'POST', path: '/me/contact-methods/:id/resend', summary: 'A new verification code (the previous one stops working)', access: signedIn, params: IdParams, response: ContactMethod },
  'contacts.delete': { method: 'DELETE', path: '/me/contact-methods/:id', access: signedIn, params: IdParams, status: 204 },
  'contacts.ofUser': { method: 'GET', path: '/users/:id/contact-methods', summary: "A user's contact methods and which are verified", access: admin, params: IdParams, response: z.array(ContactMethod) },
});
