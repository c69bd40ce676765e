import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Channel, Delivery, NotificationPreference, UpdateChannelRequest, UpdatePreferencesRequest } from '../../../shared/api/alerts';
import { IdParams } from '../../../shared/api/common';
import type { AppContext } from '../context';
import { actorOf, principalOf } from '../http/guards';

const TestResult = z.array(z.object({ channel: z.string(), target: z.string(), ok: z.boolean(), error: z.string().nullable() }));

export function channelRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const n = ctx.monitoring.notifier;
    const signedIn = ctx.guard();
    const oncall = ctx.guard({ role: 'oncall' });
    const admin = ctx.guard({ role: 'admin' });
    const tags = ['channels'];
    app.get('/channels', { preHandler: oncall, schema: { tags, response: { 200: z.array(Channel) } } }, () => n.channels());
    app.patch('/channels/:id', { preHandler: admin, schema: { tags, params: IdParams, body: UpdateChannelRequest, response: { 200: Channel } } }, (req) =>
      n.updateChannel(actorOf(req), req.params.id, req.body),
    );
    app.post('/channels/test', { preHandler: admin, schema: { tags, response: { 200: TestResult } } }, async (req) => {
      const me = principalOf(req);
      const user = await ctx.users.byId(me.userId);
      return n.sendTest(user ? [{ id: user.id, email: user.email, name: user.name }] : []);
    });
    app.get('/channels/preferences', { preHandler: signedIn, schema: { tags, response: { 200: z.array(NotificationPreference) } } }, (req) => n.preferences(principalOf(req).userId));
    app.put('/channels/preferences', { preHandler: signedIn, schema: { tags, body: UpdatePreferencesRequest, response: { 200: z.array(NotificationPreference) } } }, (req) =>
      n.setPreferences(principalOf(req).userId, req.body.preferences),
    );
    app.get('/channels/deliveries', { preHandler: oncall, schema: { tags, querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }), response: { 200: z.array(Delivery) } } }, (req) =>
      n.deliveries({ limit: req.query.limit }),
    );

  };
}
