import { API_CHANNEL_NAMES, apiChannels, type ApiChannelName } from '../../../shared/ipc';
import { ROUTES } from '../../../shared/api/routes';
import type { RouteDef } from '../../../shared/api/route';
import { forwardRoute, type RouteCall } from '../api/route-forwarder';
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
