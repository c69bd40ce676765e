import { z } from 'zod';
import { Channel, Delivery, NotificationPreference, QuietHours, UpdateChannelRequest, UpdatePreferencesRequest } from '../alerts';
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
  'channels.preferences.get': { method: 'GET', path: '/channels/preferences', access: signedIn, response: z.array(NotificationPreference) },
  'channels.preferences.update': { method: 'PUT', path: '/channels/preferences', access: signedIn, body: UpdatePreferencesRequest, response: z.array(NotificationPreference) },
  'channels.quiet.get': { method: 'GET', path: '/channels/quiet-hours', summary: "The caller's quiet hours (do not disturb)", access: signedIn, response: QuietHours },
  'channels.quiet.update': { method: 'PUT', path: '/channels/quiet-hours', summary: 'Sets the caller\'s quiet hours: notifications inside them are held and summarised when they end', access: signedIn, body: QuietHours, response: QuietHours },
  'channels.deliveries.list': { method: 'GET', path: '/channels/deliveries', access: oncall, query: DeliveryListQuery, response: z.array(Delivery) },
});
