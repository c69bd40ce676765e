import { randomUUID } from 'node:crypto';
import { API_CHANNEL_NAMES, apiChannels, isPassthroughAllowed, type ApiChannelName } from '../../../shared/ipc';
import { ROUTES } from '../../../shared/api/routes';
import type { RouteDef } from '../../../shared/api/route';
import { forwardRoute, type RouteCall } from '../api/route-forwarder';
import { CoreError } from '../errors';
import type { CoreContext, Handlers } from './context';

/**
 * Every `api.<route>` channel, built from the route table: one generic handler that forwards the
 * call with the signed-in session (the route's own schemas check the answer). A route declared in
 * shared/api/routes gets its channel and its handler without a line here.
 */
export function routeHandlers(core: CoreContext): Handlers<ApiChannelName> {
  const out: Record<string, (call: unknown) => Promise<unknown>> = {};
  for (const name of API_CHANNEL_NAMES) {
    const def: RouteDef = ROUTES[apiChannels[name].route];
    out[name] = (call) => forwardRoute(core.signedIn().api, name, def, call as RouteCall | undefined);
  }
  return out as unknown as Handlers<ApiChannelName>;
}

/** The untyped passthrough the renderer still uses until it calls the typed `api.*` channels. */
export function passthroughHandlers(core: CoreContext): Handlers<'api.request'> {
  return {
    'api.request': async ({ method, path, query, body }) => {
      if (!isPassthroughAllowed(path)) throw new CoreError('forbidden', `The path ${path} is not open to the passthrough`);
      const ws = core.signedIn();
      const res = await ws.api.send(method, path, { query, body, idempotencyKey: method === 'GET' ? undefined : `odk-${randomUUID()}` });
      return { status: res.status, body: res.data };
    },
  };
}
